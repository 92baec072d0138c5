package dev.loki.alarm.alarm;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.alarm.change.Changes;
import dev.loki.alarm.change.Rollbacks;
import dev.loki.alarm.notify.Delivery;
import dev.loki.alarm.notify.Incidents;
import dev.loki.events.Hostname;
import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.support.Caller;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Alarms: anyone signed in reads them; reporting one, acknowledging, resolving and adding a note need
 * {@code alarm.manage} on its node (or an ancestor).
 */
@RestController
class AlarmController {

    static final Privilege PRIVILEGE = Privilege.ALARM_MANAGE;

    private final AlarmService alarms;
    private final AlarmRepository repository;
    private final Permissions permissions;
    private final Incidents incidents;
    private final Changes changes;
    private final Rollbacks rollbacks;

    AlarmController(AlarmService alarms, AlarmRepository repository, Permissions permissions, Incidents incidents, Changes changes,
                    Rollbacks rollbacks) {
        this.changes = changes;
        this.rollbacks = rollbacks;
        this.alarms = alarms;
        this.repository = repository;
        this.permissions = permissions;
        this.incidents = incidents;
    }

    @GetMapping("/api/alarm/alarms")
    Mono<Page<Alarm>> list(@RequestParam(required = false) String status, @RequestParam(required = false) String nodePath,
                           @RequestParam(required = false) String severity, @RequestParam(required = false) String hostname,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (status != null && !status.matches("firing|acknowledged|resolved")) {
            throw Problems.invalid("status", "one of firing, acknowledged, resolved");
        }
        if (severity != null && !severity.matches(AlarmRequests.SEVERITY)) {
            throw Problems.invalid("severity", AlarmRequests.SEVERITY_MESSAGE);
        }
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        if (hostname != null && !Hostname.isValid(hostname)) {
            throw Problems.invalid("hostname", Hostname.MESSAGE);
        }
        Page.check(page, size);
        return repository.search(status, nodePath, severity, hostname, page, size);
    }

    /** How many open alarms of {@code status} (firing, or acknowledged) sit on each node: the web UI's badges. Any signed-in caller. */
    @GetMapping("/api/alarm/summary")
    Mono<AlarmSummary> summary(@RequestParam(defaultValue = "firing") String status) {
        if (!status.matches("firing|acknowledged")) {
            throw Problems.invalid("status", "firing or acknowledged");
        }
        return repository.summary(status);
    }

    /** The alarm with its notes, its history and what changed on its node and host before it fired. */
    @GetMapping("/api/alarm/alarms/{id}")
    Mono<Alarm> get(@PathVariable long id) {
        return alarms.details(id).flatMap(a -> changes.before(a.nodePath(), a.hostname() == null ? List.of() : List.of(a.hostname()),
                a.firstSeenAt()).map(a::withChanges));
    }

    /**
     * Rolls back the deployment that ran on the alarm's host (or node) most recently before it fired, through
     * deploy-service as the caller: 201 {@code {alarmId, rolledBack, deployment}} with the new deployment's
     * location; 409 {@code nothing-to-roll-back} when none ran in the changes window; deploy-service's refusals
     * (403 without {@code deploy.run}, 409 while it runs) as they are.
     */
    @PostMapping("/api/alarm/alarms/{id}/rollback")
    Mono<ResponseEntity<Map<String, Object>>> rollback(@PathVariable long id) {
        return alarms.get(id).flatMap(a -> rollbacks.culprit(id, a.nodePath(), a.hostname(), a.firstSeenAt()))
                .zipWith(Mono.zip(Caller.current(), Caller.bearer()))
                .flatMap(t -> rollbacks.rollBack(t.getT1(), t.getT2().getT2())
                        .flatMap(started -> alarms.rolledBack(id, t.getT2().getT1().subject(), "rolled back deployment " + t.getT1().id()
                                        + " (version " + t.getT1().version() + ") with deployment " + started.deployment().get("id"))
                                .thenReturn(started)))
                .map(started -> {
                    Map<String, Object> body = new java.util.LinkedHashMap<>();
                    body.put("alarmId", id);
                    body.put("rolledBack", started.rolledBack());
                    body.put("deployment", started.deployment());
                    return ResponseEntity.created(URI.create("/api/deploy/deployments/" + started.deployment().get("id"))).body(body);
                });
    }

    /** The notifications sent (or being sent) for the alarm's incident, each attempt with its outcome. */
    @GetMapping("/api/alarm/alarms/{id}/deliveries")
    Mono<java.util.List<Delivery>> deliveries(@PathVariable long id) {
        return alarms.get(id).thenMany(Flux.defer(() -> incidents.deliveries(id))).collectList();
    }

    /**
     * Another tool reports a problem: a new alarm (201), or — the same fingerprint while its alarm is open —
     * one more report of that alarm (200). {@code status: resolved} resolves the open alarm of the fingerprint.
     */
    @PostMapping("/api/alarm/alarms")
    Mono<ResponseEntity<Alarm>> report(@Valid @RequestBody AlarmRequests.Raise request) {
        boolean resolves = "resolved".equals(request.status());
        if (!resolves && (request.title() == null || request.title().isBlank())) {
            throw Problems.invalid("title", "must not be blank");
        }
        return permissions.require(request.nodePath(), PRIVILEGE)
                // the open alarm of this fingerprint may sit on another node: changing it needs the privilege there too
                .then(repository.findOpen(request.fingerprint()))
                .flatMap(open -> permissions.require(open.nodePath(), PRIVILEGE).thenReturn(open))
                .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .zipWith(Caller.current())
                .flatMap(t -> {
                    String subject = t.getT2().subject();
                    if (resolves) {
                        return alarms.clear(request.fingerprint(), subject, "manual")
                                .switchIfEmpty(Mono.error(() -> Problems.notFound("Open alarm with fingerprint", request.fingerprint())))
                                .flatMap(alarms::details).map(ResponseEntity::ok);
                    }
                    Map<String, String> labels = request.labels() == null ? Map.of() : new TreeMap<>(request.labels());
                    Signal signal = new Signal(request.fingerprint(), request.nodePath(), request.hostname(), null, null,
                            request.severity() == null ? "warning" : request.severity(), request.title().strip(), request.description(),
                            labels, subject, Times.now());
                    return alarms.fire(signal).flatMap(outcome -> alarms.details(outcome.alarmId()).map(a ->
                            outcome.effect() == AlarmService.Effect.REPEATED ? ResponseEntity.ok(a)
                                    : ResponseEntity.created(URI.create("/api/alarm/alarms/" + a.id())).body(a)));
                });
    }

    @PostMapping("/api/alarm/alarms/{id}/ack")
    Mono<Alarm> acknowledge(@PathVariable long id, @Valid @RequestBody(required = false) AlarmRequests.Note body) {
        return permitted(id).flatMap(caller -> alarms.acknowledge(id, caller.subject(), body == null ? null : blankToNull(body.note())));
    }

    @PostMapping("/api/alarm/alarms/{id}/resolve")
    Mono<Alarm> resolve(@PathVariable long id, @Valid @RequestBody(required = false) AlarmRequests.Note body) {
        return permitted(id).flatMap(caller -> alarms.resolve(id, caller.subject(), body == null ? null : blankToNull(body.note())));
    }

    @PostMapping("/api/alarm/alarms/{id}/notes")
    Mono<ResponseEntity<Alarm>> note(@PathVariable long id, @Valid @RequestBody AlarmRequests.Text body) {
        return permitted(id).flatMap(caller -> alarms.note(id, caller.subject(), body.text().strip()))
                .map(a -> ResponseEntity.status(HttpStatus.CREATED).body(a));
    }

    /** The caller, once it is known to hold {@code alarm.manage} on the alarm's node; 404 for no such alarm. */
    private Mono<Caller> permitted(long id) {
        return alarms.get(id).flatMap(a -> permissions.require(a.nodePath(), PRIVILEGE)).then(Caller.current());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
