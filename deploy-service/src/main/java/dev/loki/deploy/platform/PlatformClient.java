package dev.loki.deploy.platform;

import java.util.List;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.loki.deploy.system.DeployProperties;
import dev.loki.events.InternalApi;
import dev.loki.support.InternalCalls;
import dev.loki.support.ServiceCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import reactor.core.publisher.Mono;

/**
 * What deploy-service asks the rest of Loki, with the caller's own token: a node and the servers bound
 * below it (ptree-service), and each server's status and IDC (asset-service); and, as the driver with
 * the internal token, drains (a host's bindings offline and back). Every call has a 5 s
 * deadline and a circuit breaker; a service that cannot be asked answers 503.
 */
@Component
public class PlatformClient {

    /** A tree node as ptree-service shows it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(long id, String path) {
    }

    /** One binding of a server to a node of the subtree. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Binding(String hostname, double trafficRatio, boolean offline, long nodeId, String nodePath) {
    }

    /** What asset-service knows of a server that matters to a deployment. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Server(String hostname, String idc, String status, List<String> privateIps) {

        /** Where deploy-service reaches it over SSH: its first private address, else its hostname. */
        public String address() {
            return privateIps != null && !privateIps.isEmpty() ? privateIps.getFirst() : hostname;
        }
    }

    private final WebClient ptree;
    private final WebClient ptreeInternal;
    private final WebClient asset;
    private final CircuitBreaker ptreeBreaker = CircuitBreaker.ofDefaults("ptree-service");
    private final CircuitBreaker assetBreaker = CircuitBreaker.ofDefaults("asset-service");

    PlatformClient(WebClient.Builder builder, InternalCalls internal, DeployProperties properties) {
        this.ptree = builder.clone().baseUrl(properties.ptreeUri().toString()).build();
        this.ptreeInternal = internal.authenticate(builder).baseUrl(properties.ptreeUri().toString()).build();
        this.asset = builder.clone().baseUrl(properties.assetUri().toString()).build();
    }

    /** The node at {@code path}; 404 naming it when the tree has none. */
    public Mono<Node> node(String path, String bearer) {
        return ServiceCalls.guarded(ptree.get().uri(b -> b.path("/api/ptree/nodes").queryParam("path", path).build()).headers(h -> h.setBearerAuth(bearer))
                .retrieve().bodyToMono(Node.class), ptreeBreaker, "ptree-service", "Node", path);
    }

    /** Every binding in the subtree of node {@code id}. */
    public Mono<List<Binding>> bindings(long id, String bearer) {
        return ServiceCalls.guarded(ptree.get().uri("/api/ptree/nodes/{id}/servers?recursive=true", id).headers(h -> h.setBearerAuth(bearer)).retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<Binding>>() {
                }), ptreeBreaker, "ptree-service", "Node", id);
    }

    /**
     * Takes {@code hostname} out of traffic ({@code offline}) or back in on every binding at {@code path}
     * and below, as the driver (no caller: the internal token); its bindings there as they are now.
     */
    public Mono<List<Binding>> drain(String path, String hostname, boolean offline) {
        return ServiceCalls.guarded(ptreeInternal.put().uri(InternalApi.DRAIN).bodyValue(Map.of("path", path, "hostname", hostname, "offline", offline))
                .retrieve().bodyToMono(new ParameterizedTypeReference<List<Binding>>() {
                }), ptreeBreaker, "ptree-service", "Node", path);
    }

    /** The server named {@code hostname}; empty when asset-service has none (bound, but since deleted). */
    public Mono<Server> server(String hostname, String bearer) {
        // a 404 is an answer, not a failure of asset-service: it never counts against the circuit breaker
        return ServiceCalls.guarded(asset.get().uri("/api/asset/servers/by-hostname/{h}", hostname).headers(h -> h.setBearerAuth(bearer)).retrieve()
                .bodyToMono(Server.class).onErrorResume(WebClientResponseException.NotFound.class, e -> Mono.empty()),
                assetBreaker, "asset-service", "Server", hostname);
    }
}
