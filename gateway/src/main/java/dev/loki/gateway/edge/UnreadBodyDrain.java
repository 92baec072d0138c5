package dev.loki.gateway.edge;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request the gateway answers itself (401, 403, 404, 413, 429, …) leaves its body unread. When the
 * client asked for {@code Connection: close}, Reactor Netty then closes the socket with that body
 * still in the kernel's buffer, and the kernel answers with a reset that can destroy the answer
 * before the client reads it: the client sees "connection reset" instead of the problem+json. This
 * filter reads and discards such a body (up to {@link #LIMIT}, for at most {@link #TIMEOUT}) before
 * the answer is committed, whoever writes it; a body a route forwarded is never touched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class UnreadBodyDrain implements WebFilter {

    /** Bodies beyond this are not read to their end: such a client gets the reset it asked for. */
    static final long LIMIT = 16L * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!hasBody(request)) {
            return chain.filter(exchange);
        }
        AtomicBoolean read = new AtomicBoolean();
        ServerHttpRequest watched = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                read.set(true);
                return super.getBody();
            }
        };
        // before the answer's first byte: Reactor Netty closes the connection as soon as the answer is complete
        exchange.getResponse().beforeCommit(() -> read.getAndSet(true) ? Mono.empty() : discard(request));
        return chain.filter(exchange.mutate().request(watched).build());
    }

    private static boolean hasBody(ServerHttpRequest request) {
        return request.getHeaders().getContentLength() > 0 || request.getHeaders().containsHeader("Transfer-Encoding");
    }

    private static Mono<Void> discard(ServerHttpRequest request) {
        AtomicLong seen = new AtomicLong();
        // released as they come, so that what the operators drop afterwards (longs) holds no buffer
        return request.getBody()
                .map(buffer -> {
                    long total = seen.addAndGet(buffer.readableByteCount());
                    DataBufferUtils.release(buffer);
                    return total;
                })
                .takeWhile(total -> total <= LIMIT)
                .then()
                .timeout(TIMEOUT)
                .onErrorResume(error -> Mono.empty());
    }
}
