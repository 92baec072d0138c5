package dev.loki.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request over a socket of its own ({@code Connection: close}), from a chosen loopback
 * address (any 127.x is this machine): for tests of what the gateway does per client address, and of
 * URLs and bytes an HTTP client library would refuse to send.
 */
final class RawHttp {

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code method path} with the given header lines (each ending in CRLF) and body; reads the answer to its end. */
    static Answer send(String localAddress, int port, String method, String path, String headerLines, String body) throws IOException {
        return send(localAddress, port, method, path, headerLines, body.getBytes(StandardCharsets.UTF_8), 10_000);
    }

    /**
     * The same with a body of any bytes (a {@code Content-Length} is sent when it is not empty or the
     * method is one that carries a body) and a read timeout. When the server answers and closes before
     * it read the whole body, its answer is still read.
     */
    static Answer send(String localAddress, int port, String method, String path, String headerLines, byte[] body, int timeoutMillis)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port, InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(timeoutMillis);
            String length = body.length > 0 || carriesBody(method) ? "Content-Length: " + body.length + "\r\n" : "";
            try {
                socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headerLines
                        + length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body);
            } catch (IOException e) {
                // answered and closed early (413, say): what it answered is read below
            }
            byte[] raw = socket.getInputStream().readAllBytes();
            String head = new String(raw, StandardCharsets.ISO_8859_1);
            int split = head.indexOf("\r\n\r\n");
            if (!head.startsWith("HTTP/1.1 ") || split < 0) {
                throw new IOException("no HTTP answer (" + raw.length + " bytes)");
            }
            Map<String, String> headers = new HashMap<>();
            for (String line : head.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            byte[] rest = Arrays.copyOfRange(raw, split + 4, raw.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                rest = dechunk(rest);
            }
            return new Answer(Integer.parseInt(head.substring(9, 12)), headers, new String(rest, StandardCharsets.UTF_8));
        }
    }

    /** Whether requests of this method carry a body (and so a Content-Length, even an empty one). */
    static boolean carriesBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int end = at;
            while (end + 1 < chunked.length && !(chunked[end] == '\r' && chunked[end + 1] == '\n')) {
                end++;
            }
            String size = new String(chunked, at, end - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            out.write(chunked, end + 2, Math.min(length, chunked.length - end - 2));
            at = end + 2 + length + 2;
        }
        return out.toByteArray();
    }
}
