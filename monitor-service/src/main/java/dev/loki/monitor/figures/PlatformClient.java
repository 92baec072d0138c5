package dev.loki.monitor.figures;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.InternalCalls;
import dev.loki.support.ServiceCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the figures need from the rest of Loki, asked with the caller's own token: the tree and what is
 * bound to it (ptree-service), and which servers are in the resource pool (asset-service).
 */
@Component
public class PlatformClient {

    /** A tree node as ptree-service shows it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TreeNode(long id, String name, String path, String type, List<TreeNode> children) {
    }

    /** A URL bound to a node. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BoundUrl(String domain, String path, long nodeId, String nodePath) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BoundServer(String hostname, long nodeId, String nodePath) {
    }

    /** What is bound below a node (ptree-service's internal scope read). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Scope(long nodeId, String path, List<String> hostnames, List<Map<String, String>> urls) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServerPage(List<Map<String, Object>> items, long total) {
    }

    private final WebClient ptree;
    /** For the internal scope read only (background alerting has no caller token). */
    private final WebClient ptreeInternal;
    private final WebClient asset;
    private final CircuitBreaker ptreeBreaker = CircuitBreaker.ofDefaults("ptree-service");
    private final CircuitBreaker assetBreaker = CircuitBreaker.ofDefaults("asset-service");

    PlatformClient(WebClient.Builder builder, MonitorProperties properties, InternalCalls internal) {
        this.ptree = builder.clone().baseUrl(properties.ptreeUri().toString()).build();
        this.ptreeInternal = internal.authenticate(builder).baseUrl(properties.ptreeUri().toString()).build();
        this.asset = builder.clone().baseUrl(properties.assetUri().toString()).build();
    }

    Mono<TreeNode> node(long id, String bearer) {
        return ServiceCalls.guarded(ptree.get().uri("/api/ptree/nodes/{id}", id).headers(h -> h.setBearerAuth(bearer)).retrieve()
                .bodyToMono(TreeNode.class), ptreeBreaker, "ptree-service", "Node", id);
    }

    /** The nodes two levels below the root: the product lines. */
    Mono<List<TreeNode>> productLines(String bearer) {
        return ServiceCalls.guarded(ptree.get().uri("/api/ptree/tree?path=/&depth=2").headers(h -> h.setBearerAuth(bearer)).retrieve()
                .bodyToMono(TreeNode.class), ptreeBreaker, "ptree-service", "Node", "/")
                .map(root -> {
                    List<TreeNode> lines = new ArrayList<>();
                    for (TreeNode company : root.children() == null ? List.<TreeNode>of() : root.children()) {
                        if (company.children() != null) {
                            lines.addAll(company.children());
                        }
                    }
                    return lines;
                });
    }

    Mono<List<BoundUrl>> urls(long nodeId, String bearer) {
        return ServiceCalls.guarded(ptree.get().uri("/api/ptree/nodes/{id}/urls?recursive=true", nodeId).headers(h -> h.setBearerAuth(bearer)).retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<BoundUrl>>() {
                }), ptreeBreaker, "ptree-service", "Node", nodeId);
    }

    Mono<List<String>> hostnames(long nodeId, String bearer) {
        return ServiceCalls.guarded(ptree.get().uri("/api/ptree/nodes/{id}/servers?recursive=true", nodeId).headers(h -> h.setBearerAuth(bearer)).retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<BoundServer>>() {
                }), ptreeBreaker, "ptree-service", "Node", nodeId)
                .map(list -> list.stream().map(BoundServer::hostname).distinct().toList());
    }

    /** For background work without a caller (alert rules): what is bound in the subtree at {@code path}. */
    public Mono<Scope> scope(String path) {
        return ServiceCalls.guarded(ptreeInternal.get().uri(b -> b.path("/internal/ptree/scope").queryParam("path", path).build()).retrieve()
                .bodyToMono(Scope.class), ptreeBreaker, "ptree-service", "Node", path);
    }

    /** Hostnames of the servers in the resource pool (status {@code pool}): excluded from every server figure. */
    Mono<Set<String>> poolHosts(String bearer) {
        return Flux.range(0, 200)
                .concatMap(page -> ServiceCalls.guarded(asset.get().uri("/api/asset/servers?status=pool&size=500&page={p}", page)
                        .headers(h -> h.setBearerAuth(bearer)).retrieve().bodyToMono(ServerPage.class), assetBreaker, "asset-service", "Servers", ""))
                .takeUntil(p -> p.items().size() < 500)
                .collect(HashSet<String>::new, (set, p) -> p.items().forEach(s -> set.add(String.valueOf(s.get("hostname")))))
                .map(set -> (Set<String>) set);
    }
}
