package dev.loki.ptree.binding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.ptree.node.NodeController;
import dev.loki.ptree.node.TreeView;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Internal, for other Loki services' background work (monitor-service's alert rules), which has no
 * caller token: what is bound in a subtree. Not routed by the gateway; reachable without a token
 * inside the platform's network only.
 */
@RestController
class ScopeController {

    /** The servers and URLs bound to a node and its descendants. */
    record Scope(long nodeId, String path, List<String> hostnames, List<Map<String, String>> urls) {
    }

    private final TreeView tree;
    private final BindingView bindings;
    private final UrlService urls;

    ScopeController(TreeView tree, BindingView bindings, UrlService urls) {
        this.tree = tree;
        this.bindings = bindings;
        this.urls = urls;
    }

    @GetMapping("/internal/ptree/scope")
    Mono<Scope> scope(@RequestParam String path) {
        NodeController.checkPath("path", path);
        long id = tree.byPath(path).orElseThrow(() -> Problems.notFound("Node", path)).node().id();
        TreeSet<String> hostnames = new TreeSet<>();
        List<Map<String, String>> bound = new ArrayList<>();
        for (long node : tree.subtreePaths(id).keySet()) {
            bindings.onNode(node).forEach(b -> hostnames.add(b.hostname()));
            urls.onNode(node).forEach(u -> bound.add(Map.of("domain", u.domain(), "path", u.path())));
        }
        return Mono.just(new Scope(id, path, List.copyOf(hostnames), bound));
    }
}
