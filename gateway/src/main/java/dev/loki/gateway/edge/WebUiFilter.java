package dev.loki.gateway.edge;

import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Serves the single-page web UI: a browser path of the app ({@code /tree/corp}, {@code /assets/list}
 * ...) gets {@code index.html} (client-side routing), which is never cached; the hashed build files
 * under {@code /assets/} are cached for a year (their names change with their content).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WebUiFilter implements WebFilter {

    private static final List<String> NOT_UI = List.of("/api/", "/actuator", "/livez", "/readyz", "/api-docs", "/v3/", "/webjars/", "/swagger-ui", "/fallback/");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || NOT_UI.stream().anyMatch(path::startsWith) || path.equals("/api")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        if (path.startsWith("/assets/") && path.substring(path.lastIndexOf('/')).contains(".")) {
            headers.setCacheControl("public, max-age=31536000, immutable");
            return chain.filter(exchange);
        }
        if (path.equals("/") || path.equals("/index.html") || !path.substring(path.lastIndexOf('/')).contains(".")) {
            headers.setCacheControl("no-cache");
            if (!path.equals("/index.html")) {
                ServerWebExchange app = exchange.mutate().request(r -> r.path("/index.html")).build();
                return chain.filter(app);
            }
        }
        return chain.filter(exchange);
    }
}
