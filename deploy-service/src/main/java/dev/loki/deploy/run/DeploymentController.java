package dev.loki.deploy.run;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.NodePath;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deployments: anyone signed in reads them; starting one and every control needs {@code deploy.run} on
 * the template's node.
 */
@RestController
class DeploymentController {

    private static final List<String> CONTROLS = List.of("pause", "resume", "cancel", "approve", "reject");
    private static final List<String> HOST_CONTROLS = List.of("retry", "skip");
    private static final int MAX_NOTE = 500;

    private final DeploymentService deployments;

    DeploymentController(DeploymentService deployments) {
        this.deployments = deployments;
    }

    @PostMapping("/api/deploy/deployments")
    Mono<ResponseEntity<Deployment>> start(@Valid @RequestBody DeploymentRequest request) {
        return deployments.start(request).map(d -> ResponseEntity.created(URI.create("/api/deploy/deployments/" + d.id())).body(d));
    }

    @GetMapping("/api/deploy/deployments")
    Mono<Page<Deployment>> list(@RequestParam(required = false) String nodePath, @RequestParam(required = false) String status,
                                @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        if (status != null && !List.of(Status.PENDING, Status.AWAITING_APPROVAL, Status.RUNNING, Status.PAUSED, Status.SUCCEEDED,
                Status.FAILED, Status.CANCELLED).contains(status)) {
            throw Problems.invalid("status", "one of pending, awaiting-approval, running, paused, succeeded, failed, cancelled");
        }
        Page.check(page, size);
        return deployments.search(nodePath, status, page, size);
    }

    @GetMapping("/api/deploy/deployments/{id}")
    Mono<Deployment> get(@PathVariable long id) {
        return deployments.get(id);
    }

    /** Rolls the deployment back (to the last succeeded revision and version of its template): 201, the new deployment. */
    @PostMapping("/api/deploy/deployments/{id}/rollback")
    Mono<ResponseEntity<Deployment>> rollback(@PathVariable long id) {
        return deployments.rollback(id).map(d -> ResponseEntity.created(URI.create("/api/deploy/deployments/" + d.id())).body(d));
    }

    /**
     * {@code pause}, {@code resume}, {@code cancel}, {@code approve} or {@code reject}; a body ({@code {note}})
     * is optional, except to resume past a failed or inconclusive availability gate.
     */
    @PostMapping("/api/deploy/deployments/{id}/{action}")
    Mono<Deployment> control(@PathVariable long id, @PathVariable String action, @RequestBody(required = false) Map<String, Object> body) {
        if (!CONTROLS.contains(action)) {
            throw Problems.notFound("Deployment action", action);
        }
        Object note = body == null ? null : body.get("note");
        if (note != null && !(note instanceof String)) {
            throw Problems.invalid("note", "a string");
        }
        if (note != null && ((String) note).length() > MAX_NOTE) {
            throw Problems.invalid("note", "at most " + MAX_NOTE + " characters");
        }
        return deployments.control(id, action, note == null || ((String) note).isBlank() ? null : ((String) note).strip());
    }

    @PostMapping("/api/deploy/deployments/{id}/hosts/{hostname}/{action}")
    Mono<Deployment> host(@PathVariable long id, @PathVariable String hostname, @PathVariable String action) {
        if (!HOST_CONTROLS.contains(action)) {
            throw Problems.notFound("Host action", action);
        }
        return deployments.host(id, hostname, action);
    }

    /** The host's whole output, one line per line: time, {@code !} for standard error, the text. */
    @GetMapping(value = "/api/deploy/deployments/{id}/hosts/{hostname}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    Flux<String> log(@PathVariable long id, @PathVariable String hostname) {
        return deployments.log(id, hostname);
    }

    /**
     * Server-Sent Events: the deployment's status changes and its hosts' ({@code event: status}) and every
     * output line ({@code event: line}), from the start or after {@code Last-Event-ID}; ends when it finishes.
     */
    @GetMapping(value = "/api/deploy/deployments/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Map<String, Object>>> events(@PathVariable long id, @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        return deployments.events(id, lastEventId);
    }

    /** The host's step journal: each step started (and attempt), with its exit once finished. */
    @GetMapping("/api/deploy/deployments/{id}/hosts/{hostname}/journal")
    Mono<List<Map<String, Object>>> journal(@PathVariable long id, @PathVariable String hostname) {
        return deployments.journal(id, hostname);
    }
}
