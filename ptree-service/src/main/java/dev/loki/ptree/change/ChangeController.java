package dev.loki.ptree.change;

import java.net.URI;
import java.util.Set;

import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.ptree.node.NodeController;
import dev.loki.ptree.node.NodeRequests;
import dev.loki.ptree.node.NodeService;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Changing the tree. A caller with {@code node.manage} where a change needs it gets the usual answer
 * (201 / 200 / 204); anyone else gets {@code 202 Accepted} with a {@code pending} change (and its
 * {@code Location}) that waits for review.
 */
@RestController
class ChangeController {

    private static final Set<String> STATUSES = Set.of(Change.PENDING, Change.APPLYING, Change.APPLIED, Change.REJECTED,
            Change.REVERTING, Change.REVERTED);

    private final ChangeService changes;
    private final NodeService nodes;

    ChangeController(ChangeService changes, NodeService nodes) {
        this.changes = changes;
        this.nodes = nodes;
    }

    @PostMapping("/api/ptree/nodes")
    Mono<ResponseEntity<Object>> create(@Valid @RequestBody NodeRequests.CreateNodeRequest request) {
        return Mono.fromCallable(() -> nodes.planCreate(request.parentPath(), request.name(), request.type()))
                .flatMap(change -> changes.submit(change, request.reason()))
                .flatMap(outcome -> outcome.pending() != null ? Mono.just(accepted(outcome.pending()))
                        : nodes.byId(outcome.node().id())
                                .map(n -> ResponseEntity.created(URI.create("/api/ptree/nodes/" + n.id())).body((Object) n)));
    }

    @PatchMapping("/api/ptree/nodes/{id}")
    Mono<ResponseEntity<Object>> update(@PathVariable long id, @Valid @RequestBody NodeRequests.UpdateNodeRequest request) {
        return Mono.fromCallable(() -> nodes.planUpdate(id, request.name(), request.parentPath()))
                .flatMap(change -> changes.submit(change, request.reason()))
                .flatMap(outcome -> outcome.pending() != null ? Mono.just(accepted(outcome.pending()))
                        : nodes.byId(id).map(n -> ResponseEntity.ok((Object) n)));
    }

    @DeleteMapping("/api/ptree/nodes/{id}")
    Mono<ResponseEntity<Object>> delete(@PathVariable long id, @RequestParam(required = false) String reason) {
        if (reason != null && reason.length() > 500) {
            throw Problems.invalid("reason", "at most 500 characters");
        }
        return Mono.fromCallable(() -> nodes.planDelete(id))
                .flatMap(change -> changes.submit(change, reason))
                .map(outcome -> outcome.pending() != null ? accepted(outcome.pending()) : ResponseEntity.noContent().build());
    }

    @GetMapping("/api/ptree/changes")
    Mono<Page<Change>> search(@RequestParam(required = false) String nodePath, @RequestParam(required = false) String status,
                              @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null) {
            NodeController.checkPath("nodePath", nodePath);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw Problems.invalid("status", "one of " + String.join(", ", new java.util.TreeSet<>(STATUSES)));
        }
        Page.check(page, size);
        return changes.search(nodePath, status, page, size);
    }

    @GetMapping("/api/ptree/changes/{id}")
    Mono<Change> byId(@PathVariable long id) {
        return changes.find(id);
    }

    @PostMapping("/api/ptree/changes/{id}/approve")
    Mono<Change> approve(@PathVariable long id) {
        return changes.approve(id);
    }

    @PostMapping("/api/ptree/changes/{id}/reject")
    Mono<Change> reject(@PathVariable long id) {
        return changes.reject(id);
    }

    @PostMapping("/api/ptree/changes/{id}/revert")
    Mono<Change> revert(@PathVariable long id) {
        return changes.revert(id);
    }

    private static ResponseEntity<Object> accepted(Change pending) {
        return ResponseEntity.accepted().location(URI.create("/api/ptree/changes/" + pending.id())).body(pending);
    }
}
