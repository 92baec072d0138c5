package dev.loki.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request over a socket of its own, from a chosen loopback address (any 127.x is this
 * machine): for tests of what the gateway does per client address, and of URLs an HTTP client library
 * would refuse to send.
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
        try (Socket socket = new Socket("127.0.0.1", port, InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(10_000);
            String length = body.isEmpty() ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n";
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headerLines
                    + length + "\r\n" + body).getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            Map<String, String> headers = new HashMap<>();
            for (String line : answer.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return new Answer(Integer.parseInt(answer.substring(9, 12)), headers, answer.substring(split + 4));
        }
    }
}
