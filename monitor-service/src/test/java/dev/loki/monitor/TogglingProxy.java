package dev.loki.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A plain HTTP forwarder in front of the real OpenTSDB that can be switched off (its port closes, as
 * when OpenTSDB stops) and on again (same port), so a test can take OpenTSDB away from one service
 * without stopping the OpenTSDB other tests share.
 */
final class TogglingProxy implements AutoCloseable {

    private final String target;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private HttpServer server;
    private volatile Duration delay = Duration.ZERO;

    TogglingProxy(String target) throws IOException {
        this.target = target;
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Holds every request this long before forwarding it (OpenTSDB slow), until set back to zero. */
    void delay(Duration delay) {
        this.delay = delay;
    }

    synchronized void up() throws IOException {
        if (server == null) {
            server = start(port);
        }
    }

    private HttpServer start(int on) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 64);
        created.setExecutor(Executors.newFixedThreadPool(16));
        created.createContext("/", this::forward);
        created.start();
        return created;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                request.header("Content-Type", type);
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        down();
    }
}
