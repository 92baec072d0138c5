package dev.loki.ptree.node;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/** The service tree: reads for any authenticated caller, changes with {@code node.manage}. */
@RestController
class NodeController {

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

    @GetMapping("/api/ptree/nodes/{id}")
    Mono<NodeView> byId(@PathVariable long id) {
        return nodes.byId(id);
    }

    @PostMapping("/api/ptree/nodes")
    Mono<ResponseEntity<NodeView>> create(@Valid @RequestBody NodeRequests.CreateNodeRequest request) {
        return nodes.create(request).map(n -> ResponseEntity.created(URI.create("/api/ptree/nodes/" + n.id())).body(n));
    }

    @PatchMapping("/api/ptree/nodes/{id}")
    Mono<NodeView> update(@PathVariable long id, @Valid @RequestBody NodeRequests.UpdateNodeRequest request) {
        return nodes.update(id, request);
    }

    @DeleteMapping("/api/ptree/nodes/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return nodes.delete(id);
    }

    private static void checkPath(String field, String path) {
        if (path.length() > 700 || !path.matches(NodeRequests.PATH)) {
            throw Problems.invalid(field, NodeRequests.PATH_MESSAGE);
        }
    }
}
