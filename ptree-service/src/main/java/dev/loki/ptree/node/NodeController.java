package dev.loki.ptree.node;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.NodePath;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/** Reading the service tree: any authenticated caller. Changes go through {@code ChangeController}. */
@RestController
public class NodeController {

    private final NodeService nodes;

    NodeController(NodeService nodes) {
        this.nodes = nodes;
    }

    @GetMapping("/api/ptree/tree")
    Mono<NodeView> tree(@RequestParam(defaultValue = "/") String path, @RequestParam(defaultValue = "3") int depth) {
        checkPath("path", path);
        if (depth < 0 || depth > 20) {
            throw Problems.invalid("depth", "must be between 0 and 20");
        }
        return nodes.tree(path, depth);
    }

    @GetMapping("/api/ptree/nodes")
    Mono<NodeView> byPath(@RequestParam String path) {
        checkPath("path", path);
        return nodes.byPath(path);
    }

    /** Nodes whose name contains {@code q} (ignoring case), shallowest first: the tree's search box. */
    @GetMapping("/api/ptree/nodes/search")
    Mono<List<NodeView>> search(@RequestParam String q, @RequestParam(defaultValue = "20") int limit) {
        if (q.isBlank() || q.length() > 63) {
            throw Problems.invalid("q", "1 to 63 characters of a node name");
        }
        if (limit < 1 || limit > 100) {
            throw Problems.invalid("limit", "must be between 1 and 100");
        }
        return nodes.search(q.strip(), limit);
    }

    @GetMapping("/api/ptree/nodes/{id}")
    Mono<NodeView> byId(@PathVariable long id) {
        return nodes.byId(id);
    }

    public static void checkPath(String field, String path) {
        if (!NodePath.isValid(path)) {
            throw Problems.invalid(field, NodePath.MESSAGE);
        }
    }
}
