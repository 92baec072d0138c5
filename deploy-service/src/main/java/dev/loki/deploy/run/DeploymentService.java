package dev.loki.deploy.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.deploy.plan.Amount;
import dev.loki.deploy.plan.Plan;
import dev.loki.deploy.plan.PlanRequest;
import dev.loki.deploy.plan.PlanService;
import dev.loki.deploy.template.Template;
import dev.loki.deploy.template.TemplateSpec;
import dev.loki.deploy.template.Templates;
import dev.loki.events.Privilege;
import dev.loki.support.Caller;
import dev.loki.support.FieldError;
import dev.loki.support.LokiProblem;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starting deployments (exactly the plan a preview shows), reading them, and the controls: pause,
 * resume, cancel, approve, reject, and per host retry and skip. Every one needs {@code deploy.run} on
 * the template's node; a control that does not apply in the current status is a 409 naming those that do.
 */
@Service
public class DeploymentService {

    private final DeploymentRepository deployments;
    private final Templates templates;
    private final PlanService plans;
    private final Permissions permissions;
    private final TransactionalOperator tx;
    private final Driver driver;
    private final DeploymentEvents events;

    DeploymentService(DeploymentRepository deployments, Templates templates, PlanService plans, Permissions permissions,
                      TransactionalOperator tx, Driver driver, DeploymentEvents events) {
        this.events = events;
        this.deployments = deployments;
        this.templates = templates;
        this.plans = plans;
        this.permissions = permissions;
        this.tx = tx;
        this.driver = driver;
    }

    Mono<Deployment> start(DeploymentRequest request) {
        return templates.current(request.templateId(), "templateId").flatMap(template -> {
            TemplateSpec spec = template.spec();
            Map<String, String> parameters = parameters(spec, request.parameters());
            return permissions.require(spec.nodePath(), Privilege.DEPLOY_RUN)
                    .then(plans.plan(new PlanRequest(request.templateId(), request.hosts(), request.includeNotOnline())))
                    .flatMap(plan -> Caller.current().flatMap(caller -> insert(template, plan, request.version(), parameters, caller.subject())));
        }).flatMap(this::get);
    }

    private Mono<Long> insert(Template template, Plan plan, String version, Map<String, String> parameters, String actor) {
        List<DeploymentRepository.HostRow> hosts = new ArrayList<>();
        for (Plan.Batch batch : plan.batches()) {
            for (int i = 0; i < batch.hosts().size(); i++) {
                Plan.Host h = batch.hosts().get(i);
                hosts.add(new DeploymentRepository.HostRow(h.hostname(), h.address(), h.idc(), h.trafficRatio(), batch.index(), i,
                        Status.PENDING, 0, 1, null, null, null, null, false));
            }
        }
        if (hosts.isEmpty()) {
            throw Problems.invalid("hosts", "no host to deploy to: the node has no online server (see the plan preview's excluded hosts)");
        }
        var row = newRow(template.id(), plan.revision(), template.spec().nodePath(), version, parameters, template.spec(), hosts.size(),
                plan.batches().size(), actor, null, plan.upstream());
        return store(Mono.empty(), row, hosts, Mono.empty());
    }

    /** A deployment of {@code spec} as it is stored before it runs: awaiting approval if the template asks for it, else running. */
    private static DeploymentRepository.Row newRow(long templateId, int revision, String nodePath, String version, Map<String, String> parameters,
                                                   TemplateSpec spec, int hosts, int batches, String actor, Long rollbackOf, String upstream) {
        TemplateSpec.Batch batch = spec.batch();
        String status = Boolean.TRUE.equals(spec.requireApproval()) ? Status.AWAITING_APPROVAL : Status.RUNNING;
        return new DeploymentRepository.Row(0, templateId, revision, nodePath, version, parameters, status, null, batches, 0,
                (int) Amount.parse(batch.maxFailures()).orElseThrow().of(hosts), batch.onFailure(), Boolean.TRUE.equals(batch.pauseAfterFirstBatch()),
                actor, Times.now(), null, null, null, rollbackOf, null, upstream);
    }

    /**
     * Stores the deployment and its hosts in one transaction after {@code before} (also in it); then
     * {@code announced} and its events, and drives it here if it runs. The template's unfinished
     * deployment (its unique key) → 409 {@code deployment-running}.
     */
    private Mono<Long> store(Mono<Void> before, DeploymentRepository.Row row, List<DeploymentRepository.HostRow> hosts, Mono<Void> announced) {
        boolean runs = Status.RUNNING.equals(row.status());
        return before.then(deployments.insert(row, hosts, driver.owner(), Driver.LEASE)).as(tx::transactional)
                .onErrorMap(DataIntegrityViolationException.class, e -> new LokiProblem(HttpStatus.CONFLICT, "deployment-running",
                        "A deployment of this template is unfinished", "template " + row.templateId() + " has an unfinished deployment: "
                        + "finish or cancel it first"))
                .flatMap(id -> announced.then(events.requested(row, id, hosts.size()))
                        .then(runs ? deployments.find(id).flatMap(d -> events.started(d, row.requestedBy())) : Mono.empty())
                        .thenReturn(id))
                .doOnNext(id -> {
                    if (runs) {
                        driver.drive(id);
                    }
                });
    }

    /** The template's defaults, overridden by the request's values; a name the template does not declare is a 400 naming it. */
    private static Map<String, String> parameters(TemplateSpec spec, Map<String, String> given) {
        Map<String, String> merged = new TreeMap<>(spec.parameters() == null ? Map.of() : spec.parameters());
        List<FieldError> unknown = new ArrayList<>();
        if (given != null) {
            given.forEach((name, value) -> {
                if (!merged.containsKey(name)) {
                    unknown.add(new FieldError("parameters." + name, "the template declares no parameter " + name));
                } else if (value.indexOf('\0') >= 0) {
                    unknown.add(new FieldError("parameters." + name, "a NUL character cannot reach a host"));
                } else {
                    merged.put(name, value);
                }
            });
        }
        if (!unknown.isEmpty()) {
            throw Problems.invalid(unknown.size() > 5 ? unknown.subList(0, 5) : unknown);
        }
        return merged;
    }

    Mono<Deployment> get(long id) {
        return deployments.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Deployment", id)))
                .flatMap(d -> Mono.zip(deployments.hosts(id), templates.revision(d.templateId(), d.revision()).map(spec -> HostSteps.of(spec, d.upstream())).defaultIfEmpty(List.of()))
                        .map(t -> view(d, t.getT1(), t.getT2())));
    }

    Mono<Page<Deployment>> search(String nodePath, String status, int page, int size) {
        return deployments.search(nodePath, status, page, size)
                .map(p -> new Page<>(p.items().stream().map(d -> view(d, null, List.of())).toList(), p.page(), p.size(), p.total()));
    }

    Flux<String> log(long id, String hostname) {
        return deployments.hosts(id).flatMapMany(hosts -> {
            if (hosts.stream().noneMatch(h -> h.hostname().equals(hostname))) {
                return Flux.error(Problems.notFound("Host of deployment " + id, hostname));
            }
            return deployments.logText(id, hostname);
        });
    }

    Mono<List<Map<String, Object>>> journal(long id, String hostname) {
        return deployments.journal(id, hostname);
    }

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    /**
     * The deployment's history and then its live changes: each status change of it or a host
     * ({@code event: status}) and each output line ({@code event: line}), in order, until it finishes.
     * Each event's id is the position {@code <change>.<line>}; a client reconnecting with
     * {@code Last-Event-ID} gets what came after it. Read from MariaDB, so any replica serves any deployment.
     */
    Flux<ServerSentEvent<Map<String, Object>>> events(long id, String lastEventId) {
        long[] cursor = parseCursor(lastEventId);
        return deployments.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Deployment", id))).flatMapMany(found -> {
            Flux<ServerSentEvent<Map<String, Object>>> changes = Flux.interval(Duration.ZERO, POLL).onBackpressureDrop()
                    .concatMap(tick -> deployments.events(id, cursor[0], cursor[1], 500))
                    .concatMapIterable(batch -> batch)
                    .map(e -> {
                        if (e.line()) {
                            cursor[1] = e.id();
                        } else {
                            cursor[0] = e.id();
                        }
                        return ServerSentEvent.<Map<String, Object>>builder(body(e)).id(cursor[0] + "." + cursor[1])
                                .event(e.line() ? "line" : "status").build();
                    });
            Flux<ServerSentEvent<Map<String, Object>>> keepAlive = Flux.interval(KEEP_ALIVE, KEEP_ALIVE).onBackpressureDrop()
                    .map(tick -> ServerSentEvent.<Map<String, Object>>builder().comment("keep-alive").build());
            // judged on each event itself (a flag set upstream would run ahead of what merge has emitted)
            return Flux.merge(changes, keepAlive).takeUntil(DeploymentService::ends);
        });
    }

    /** The deployment's own status event saying it finished. */
    private static boolean ends(ServerSentEvent<Map<String, Object>> sse) {
        Map<String, Object> data = sse.data();
        return "status".equals(sse.event()) && data != null && !data.containsKey("hostname") && Status.FINISHED.contains(data.get("status"));
    }

    private static long[] parseCursor(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return new long[] {0, 0};
        }
        String[] parts = lastEventId.strip().split("\\.");
        try {
            if (parts.length == 2) {
                long change = Long.parseLong(parts[0]);
                long line = Long.parseLong(parts[1]);
                if (change >= 0 && line >= 0) {
                    return new long[] {change, line};
                }
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw Problems.invalid("Last-Event-ID", "an event id of this stream, like 12.340");
    }

    private static Map<String, Object> body(DeploymentRepository.Event e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", e.at());
        if (e.hostname() != null) {
            body.put("hostname", e.hostname());
        }
        if (e.line()) {
            body.put("stream", "err".equals(e.stream()) ? "stderr" : "stdout");
            body.put("text", e.text());
        } else {
            body.put("status", e.status());
            if (e.reason() != null) {
                body.put("reason", e.reason());
            }
            if (e.exitCode() != null) {
                body.put("exitCode", e.exitCode());
            }
        }
        return body;
    }

    /** {@code action} on the whole deployment; {@code note} (or null) says why. */
    Mono<Deployment> control(long id, String action, String note) {
        return Caller.current().flatMap(caller -> deployments.find(id)
                        .switchIfEmpty(Mono.error(() -> Problems.notFound("Deployment", id)))
                        .flatMap(found -> permissions.require(found.nodePath(), Privilege.DEPLOY_RUN))
                        .then(Mono.defer(() -> deployments.lock(id).flatMap(d -> apply(d, action, caller, note)).as(tx::transactional))))
                .flatMap(applied -> applied.events().thenReturn(applied.drive()))
                .doOnNext(drive -> {
                    if (drive) {
                        driver.drive(id);
                    }
                })
                .then(Mono.defer(() -> get(id)));
    }

    /** Applies a control inside the row's lock; true when this replica should drive it now. */
    private Mono<Applied> apply(DeploymentRepository.Row d, String action, Caller caller, String note) {
        List<String> allowed = allowed(d.status());
        if (!allowed.contains(action)) {
            return Mono.error(IllegalMove.of(action, "a deployment", d.status(), allowed));
        }
        String by = caller.subject() + (note == null ? "" : ": " + note);
        return switch (action) {
            case "pause" -> deployments.status(d.id(), Status.PAUSED, "paused by " + by)
                    .thenReturn(new Applied(false, events.paused(d, "paused by " + by)));
            case "resume" -> {
                if (pausedByGate(d) && note == null) {
                    yield Mono.error(Problems.invalid("note", "resuming past a failed availability gate needs a note: why it is safe to go on"));
                }
                yield deployments.resume(d.id(), "resumed by " + by).then(deployments.take(d.id(), driver.owner(), Driver.LEASE))
                        .thenReturn(new Applied(true, events.resumed(d, caller.subject(), note)));
            }
            case "cancel" -> deployments.status(d.id(), Status.CANCELLED, "cancelled by " + by)
                    .then(deployments.cancelPending(d.id()))
                    .thenReturn(new Applied(false, events.finished(d, Status.CANCELLED, "cancelled by " + by, 0)));
            case "approve" -> {
                if (d.requestedBy().equals(caller.subject())) {
                    yield Mono.error(Problems.forbidden("a deployment is approved by someone other than who requested it"));
                }
                yield run(d.id()).map(drive -> new Applied(drive, events.started(d, caller.subject())));
            }
            case "reject" -> deployments.status(d.id(), Status.CANCELLED, "rejected by " + by)
                    .then(deployments.cancelPending(d.id()))
                    .thenReturn(new Applied(false, events.finished(d, Status.CANCELLED, "rejected by " + by, 0)));
            default -> Mono.error(new IllegalStateException(action));
        };
    }

    /**
     * What a control did inside its transaction: whether this replica drives the deployment now, and its
     * events, published only once the change is committed (never for a change that rolled back).
     */
    private record Applied(boolean drive, Mono<Void> events) {
    }

    /** Paused by its availability gate (failed or inconclusive): only a resume with a note goes on. */
    private static boolean pausedByGate(DeploymentRepository.Row d) {
        return Status.PAUSED.equals(d.status()) && d.reason() != null && d.reason().startsWith("gate-");
    }

    private Mono<Boolean> run(long id) {
        return deployments.status(id, Status.RUNNING, null).then(deployments.take(id, driver.owner(), Driver.LEASE)).thenReturn(true);
    }

    static List<String> allowed(String status) {
        return switch (status) {
            case Status.AWAITING_APPROVAL -> List.of("approve", "reject", "cancel");
            case Status.RUNNING -> List.of("pause", "cancel");
            case Status.PAUSED -> List.of("resume", "cancel", "rollback");
            case Status.PENDING -> List.of("cancel");
            default -> List.of("rollback");
        };
    }

    /**
     * Rolls deployment {@code id} back: a new deployment of the revision, version and parameters of the
     * template's last deployment that succeeded before it, to the same hosts in the same batches. A paused
     * deployment is cancelled by it; a running one must be paused or cancelled first (409).
     */
    Mono<Deployment> rollback(long id) {
        return Caller.current().flatMap(caller -> deployments.find(id)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Deployment", id)))
                .flatMap(found -> permissions.require(found.nodePath(), Privilege.DEPLOY_RUN).thenReturn(found))
                .flatMap(found -> {
                    if (!allowed(found.status()).contains("rollback")) {
                        return Mono.error(IllegalMove.of("rollback", "a deployment", found.status(), allowed(found.status())));
                    }
                    return deployments.lastSucceeded(found.templateId(), id)
                            .switchIfEmpty(Mono.error(() -> new LokiProblem(HttpStatus.CONFLICT, "nothing-to-roll-back", "Nothing to roll back to",
                                    "template " + found.templateId() + " has no deployment that succeeded before " + id)))
                            .flatMap(good -> Mono.zip(deployments.hosts(id), templates.revision(good.templateId(), good.revision()))
                                    .flatMap(t -> rollback(found, good, t.getT1(), t.getT2(), caller.subject())));
                }))
                .flatMap(this::get);
    }

    private Mono<Long> rollback(DeploymentRepository.Row bad, DeploymentRepository.Row good, List<DeploymentRepository.HostRow> hosts,
                                TemplateSpec spec, String actor) {
        List<DeploymentRepository.HostRow> again = hosts.stream().map(h -> new DeploymentRepository.HostRow(h.hostname(), h.address(), h.idc(),
                h.trafficRatio(), h.batch(), h.position(), Status.PENDING, 0, 1, null, null, null, null, false)).toList();
        var row = newRow(bad.templateId(), good.revision(), bad.nodePath(), good.version(), good.parameters(), spec, again.size(),
                bad.batchCount(), actor, bad.id(), good.upstream());
        String reason = "rolled back by " + actor;
        boolean paused = Status.PAUSED.equals(bad.status());
        return store(paused ? deployments.status(bad.id(), Status.CANCELLED, reason).then(deployments.cancelPending(bad.id())) : Mono.empty(),
                row, again, paused ? events.finished(bad, Status.CANCELLED, reason, 0) : Mono.empty());
    }

    /** {@code retry} (a failed host, from the step it failed at) or {@code skip} (a failed or pending host). */
    Mono<Deployment> host(long id, String hostname, String action) {
        return deployments.find(id)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Deployment", id)))
                .flatMap(found -> permissions.require(found.nodePath(), Privilege.DEPLOY_RUN))
                .then(Mono.defer(() -> deployments.lock(id).zipWith(deployments.hosts(id)).flatMap(t -> {
                    DeploymentRepository.Row d = t.getT1();
                    DeploymentRepository.HostRow h = t.getT2().stream().filter(x -> x.hostname().equals(hostname)).findFirst()
                            .orElseThrow(() -> Problems.notFound("Host of deployment " + id, hostname));
                    if (Status.FINISHED.contains(d.status())) {
                        return Mono.<Applied>error(IllegalMove.of(action, "a host of a deployment", d.status(), List.of()));
                    }
                    List<String> allowed = switch (h.status()) {
                        case Status.FAILED -> List.of("retry", "skip");
                        case Status.PENDING -> List.of("skip");
                        default -> List.of();
                    };
                    if (!allowed.contains(action)) {
                        return Mono.<Applied>error(IllegalMove.of(action, "a host", h.status(), allowed));
                    }
                    if ("skip".equals(action)) {
                        return deployments.hostStatus(id, hostname, Status.SKIPPED, h.exitCode(), h.reason()).thenReturn(new Applied(false, Mono.empty()));
                    }
                    // a retry of a paused deployment resumes it: the host runs again from its failed step; one paused by its
                    // gate stays paused (the host waits) until resumed with a note
                    Mono<Applied> resumed = Status.PAUSED.equals(d.status()) && !pausedByGate(d)
                            ? Caller.current().flatMap(caller -> deployments.resume(id, "resumed by " + caller.subject() + ": retry of " + hostname)
                                    .then(deployments.take(id, driver.owner(), Driver.LEASE))
                                    .thenReturn(new Applied(true, events.resumed(d, caller.subject(), "retry of " + hostname))))
                            : Mono.just(new Applied(Status.RUNNING.equals(d.status()), Mono.empty()));
                    return deployments.retry(id, hostname).then(resumed);
                }).as(tx::transactional)))
                .flatMap(applied -> applied.events().thenReturn(applied.drive()))
                .doOnNext(drive -> {
                    if (drive) {
                        driver.drive(id);
                    }
                })
                .then(Mono.defer(() -> get(id)));
    }

    private static Deployment view(DeploymentRepository.Row d, List<DeploymentRepository.HostRow> hosts, List<HostStep> steps) {
        List<Deployment.Batch> batches = null;
        if (hosts != null) {
            Map<Integer, List<Deployment.Host>> byBatch = new LinkedHashMap<>();
            for (DeploymentRepository.HostRow h : hosts) {
                String stepName = h.step() < steps.size() ? steps.get(h.step()).name() : null;
                byBatch.computeIfAbsent(h.batch(), k -> new ArrayList<>()).add(new Deployment.Host(h.hostname(), h.idc(), h.address(), h.trafficRatio(),
                        h.status(), h.step(), stepName, h.attempt(), h.exitCode(), h.reason(), h.startedAt(), h.finishedAt(), h.drained()));
            }
            batches = byBatch.entrySet().stream().map(e -> new Deployment.Batch(e.getKey(), batchStatus(e.getValue()), List.copyOf(e.getValue()))).toList();
        }
        return new Deployment(d.id(), d.templateId(), d.revision(), d.nodePath(), d.version(), d.parameters(), d.status(), d.reason(),
                d.currentBatch(), d.maxFailures(), d.onFailure(), d.requestedBy(), d.createdAt(), d.startedAt(), d.finishedAt(), batches,
                d.rollbackOf(), d.gate() == null ? null : new Deployment.Gate(d.gate().batch(), d.gate().from(), d.gate().until()), d.upstream());
    }

    private static String batchStatus(List<Deployment.Host> hosts) {
        if (hosts.stream().anyMatch(h -> Status.RUNNING.equals(h.status()))) {
            return Status.RUNNING;
        }
        if (hosts.stream().allMatch(h -> Status.PENDING.equals(h.status()))) {
            return Status.PENDING;
        }
        if (hosts.stream().anyMatch(h -> Status.PENDING.equals(h.status()))) {
            return Status.RUNNING;
        }
        if (hosts.stream().anyMatch(h -> Status.FAILED.equals(h.status()))) {
            return Status.FAILED;
        }
        if (hosts.stream().allMatch(h -> Status.CANCELLED.equals(h.status()))) {
            return Status.CANCELLED;
        }
        return Status.SUCCEEDED;
    }
}
