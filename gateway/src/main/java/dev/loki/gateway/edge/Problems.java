package dev.loki.gateway.edge;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's own problem+json answers (RFC 9457), same shape as the services'. */
public final class Problems {

    public static final String TYPE_BASE = "https://loki.dev/problems/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static Mono<Void> write(ServerHttpResponse response, HttpStatusCode status, String slug, String title,
                                   String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + slug);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    /** Title and slug for a status the gateway answers itself. */
    static String[] describe(int status) {
        return switch (status) {
            case 400 -> new String[] {"bad-request", "Bad request", "The request could not be understood."};
            case 401 -> new String[] {"unauthorized", "Unauthorized", "A valid Loki token is required (Authorization: Bearer ...)."};
            case 403 -> new String[] {"forbidden", "Forbidden", "You are not allowed to do this."};
            case 404 -> new String[] {"not-found", "Not found", "No such resource or route."};
            case 405 -> new String[] {"method-not-allowed", "Method not allowed", "This method is not supported here."};
            case 413 -> new String[] {"payload-too-large", "Payload too large", "The request body is larger than the gateway accepts (1 MB)."};
            case 429 -> new String[] {"rate-limited", "Too many requests", "Rate limit exceeded; slow down and retry after the time in Retry-After."};
            case 502 -> new String[] {"bad-gateway", "Bad gateway", "The service answered with something the gateway could not use."};
            case 503 -> new String[] {"service-unavailable", "Service unavailable", "The service is not reachable right now; try again shortly."};
            case 504 -> new String[] {"gateway-timeout", "Gateway timeout", "The service did not answer in time."};
            default -> new String[] {"error", "Error", "The request failed."};
        };
    }
}
