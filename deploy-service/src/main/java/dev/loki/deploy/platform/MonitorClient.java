package dev.loki.deploy.platform;

import java.time.Instant;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.loki.deploy.system.DeployProperties;
import dev.loki.events.InternalApi;
import dev.loki.support.InternalCalls;
import dev.loki.support.ServiceCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import reactor.core.publisher.Mono;

/**
 * What the availability gate asks monitor-service: a node's availability over a window. The driver
 * asks with no user behind it, so the call goes to monitor's internal endpoint with the platform's
 * internal token; 5 s deadline and a circuit breaker, like every outbound call.
 */
@Component
public class MonitorClient {

    /**
     * monitor-service's figure.
     *
     * @param availability the share (0‥1) of the node's counted requests that succeeded; {@code null} when none came
     * @param requests     the counted requests (all but 4xx)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Availability(String path, long startMs, long endMs, Double availability, long requests) {
    }

    private final WebClient monitor;
    private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("monitor-service");

    MonitorClient(WebClient.Builder builder, InternalCalls internal, DeployProperties properties) {
        this.monitor = internal.authenticate(builder).baseUrl(properties.monitorUri().toString()).build();
    }

    /** The availability of the node at {@code path} over [{@code from}, {@code until}]. */
    public Mono<Availability> availability(String path, Instant from, Instant until) {
        return ServiceCalls.guarded(monitor.get().uri(b -> b.path(InternalApi.NODE_AVAILABILITY).queryParam("path", path)
                        .queryParam("start", from.toEpochMilli()).queryParam("end", until.toEpochMilli()).build())
                .retrieve().bodyToMono(Availability.class), breaker, "monitor-service", "Node", path);
    }
}
