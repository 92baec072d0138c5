package dev.loki.deploy.run;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.loki.deploy.platform.MonitorClient;
import dev.loki.deploy.platform.PlatformClient;
import dev.loki.deploy.ssh.HostFailure;
import dev.loki.deploy.ssh.HostSession;
import dev.loki.deploy.ssh.OutputLine;
import dev.loki.deploy.ssh.SshHosts;
import dev.loki.deploy.ssh.StepScript;
import dev.loki.deploy.template.TemplateSpec;
import dev.loki.deploy.template.Templates;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs deployments, step by step, from what MariaDB says. A replica drives a deployment only while it
 * holds the deployment's lease (renewed every tick); a running deployment whose lease lapsed — its
 * replica was killed — is claimed by the next replica's tick and continues where its hosts' journals
 * say: a step started but not recorded as finished runs again with the same exit marker, so the host
 * answers with the recorded code if it had finished.
 *
 * <p>A template with an availability gate bakes each finished batch: the next batch waits until the
 * bake window has passed, then the node's availability over it (from monitor-service) must reach the
 * threshold, or the deployment pauses ({@code gate-failed}; {@code gate-inconclusive} when there is no
 * figure — no data is never a pass). The window is in the row, so a restart goes on waiting where it was.
 */
@Component
class Driver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Driver.class);

    static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofSeconds(2);
    /** Lines of one step's output kept; the rest are counted and dropped. */
    private static final int MAX_LINES_PER_STEP = 10_000;
    /** How often a baking deployment looks again (its pause or cancel is seen within this). */
    private static final Duration BAKE_POLL = Duration.ofSeconds(1);
    /** How often a running step looks for a cancel of its deployment. */
    private static final Duration CANCEL_POLL = Duration.ofSeconds(1);
    /** A bake window covers at least this much, so that a short bake still spans a minute of monitor data. */
    static final Duration MIN_GATE_WINDOW = Duration.ofSeconds(60);

    private final DeploymentRepository deployments;
    private final Templates templates;
    private final SshHosts ssh;
    private final DeploymentEvents events;
    private final MonitorClient monitor;
    private final PlatformClient platform;
    private final BatchMutes mutes;
    private final String owner;
    private final Map<Long, Disposable> driving = new ConcurrentHashMap<>();
    private volatile Disposable ticks;

    Driver(DeploymentRepository deployments, Templates templates, SshHosts ssh, DeploymentEvents events, MonitorClient monitor,
           PlatformClient platform, BatchMutes mutes) {
        this.mutes = mutes;
        this.deployments = deployments;
        this.platform = platform;
        this.monitor = monitor;
        this.events = events;
        this.templates = templates;
        this.ssh = ssh;
        this.owner = replicaName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String owner() {
        return owner;
    }

    @Override
    public void start() {
        ticks = Flux.interval(Duration.ZERO, TICK).onBackpressureDrop()
                .concatMap(tick -> tick().onErrorResume(e -> {
                    log.warn("deployment leases not renewed this tick: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        if (ticks != null) {
            ticks.dispose();
        }
        driving.values().forEach(Disposable::dispose);
    }

    @Override
    public boolean isRunning() {
        return ticks != null && !ticks.isDisposed();
    }

    /** Starts driving {@code id} here (its lease is ours) unless it already is. */
    void drive(long id) {
        driving.computeIfAbsent(id, key -> Mono.defer(() -> advance(key)).repeat().takeWhile(more -> more).then()
                .doFinally(signal -> driving.remove(key))
                .subscribe(null, e -> log.warn("deployment {} stopped here, the next tick picks it up again: {}", key, e.toString())));
    }

    private Mono<Void> tick() {
        Set<Long> mine = new HashSet<>(driving.keySet());
        return deployments.renew(owner, mine, LEASE)
                .doOnNext(taken -> taken.forEach(lost -> {
                    log.warn("deployment {}: the lease went to another replica; stopping here", lost);
                    Disposable d = driving.remove(lost);
                    if (d != null) {
                        d.dispose();
                    }
                }))
                .then(deployments.claim(owner, LEASE))
                .doOnNext(claimed -> claimed.forEach(this::drive))
                .then();
    }

    /** One turn: the current batch's unfinished hosts run, then the batch is judged. False once there is nothing to do here. */
    private Mono<Boolean> advance(long id) {
        return deployments.find(id).flatMap(d -> {
            if (!owner.equals(d.leaseOwner())) {
                // another replica holds it (or nobody yet: the next tick claims it)
                return Mono.just(false);
            }
            if (!Status.RUNNING.equals(d.status())) {
                return deployments.release(owner, id).thenReturn(false);
            }
            if (d.gate() != null) {
                return gate(d);
            }
            if (d.currentBatch() >= d.batchCount()) {
                return deployments.status(id, Status.SUCCEEDED, null)
                        .then(deployments.hosts(id))
                        .flatMap(hosts -> events.finished(d, Status.SUCCEEDED, null,
                                (int) hosts.stream().filter(h -> Status.FAILED.equals(h.status())).count()))
                        .thenReturn(false);
            }
            return templates.revision(d.templateId(), d.revision())
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("revision " + d.revision() + " of template " + d.templateId() + " is gone")))
                    .flatMap(spec -> {
                        List<HostStep> steps = HostSteps.of(spec, d.upstream());
                        return deployments.hosts(id).flatMap(hosts -> {
                            List<DeploymentRepository.HostRow> todo = hosts.stream()
                                    .filter(h -> h.batch() <= d.currentBatch() && (Status.PENDING.equals(h.status()) || Status.RUNNING.equals(h.status())))
                                    .toList();
                            boolean drain = Boolean.TRUE.equals(spec.drain());
                            // one watch for a cancel per deployment, shared by its running hosts (subscribed by the first step)
                            Sinks.Empty<Void> done = Sinks.empty();
                            Mono<Boolean> cancelled = cancellation(id).takeUntilOther(done.asMono()).cache();
                            // alarms on these hosts are recorded, not sent, while they run (and a grace period after)
                            Disposable muting = mutes.hold(d, todo.stream().map(DeploymentRepository.HostRow::hostname).toList());
                            return Flux.fromIterable(todo).flatMap(h -> host(d, h, steps, drain, cancelled), Math.max(1, todo.size()))
                                    .doFinally(signal -> {
                                        done.tryEmitEmpty();
                                        muting.dispose();
                                    })
                                    .then(judge(id, spec));
                        });
                    });
        }).defaultIfEmpty(false);
    }

    /**
     * After a batch's hosts ran: within the failure budget → the next batch (after its bake and gate, if
     * the template has one; or a pause after the first); over it → pause or abort.
     */
    private Mono<Boolean> judge(long id, TemplateSpec spec) {
        return Mono.zip(deployments.find(id), deployments.hosts(id)).flatMap(t -> {
            DeploymentRepository.Row d = t.getT1();
            List<DeploymentRepository.HostRow> hosts = t.getT2();
            if (!Status.RUNNING.equals(d.status())) {
                return Mono.just(true);
            }
            long failed = hosts.stream().filter(h -> Status.FAILED.equals(h.status())).count();
            if (failed > d.maxFailures()) {
                String reason = "failure-budget: " + failed + " host(s) failed, " + d.maxFailures() + " allowed";
                boolean abort = "abort".equals(d.onFailure());
                return deployments.status(id, abort ? Status.FAILED : Status.PAUSED, reason)
                        .then(abort ? events.finished(d, Status.FAILED, reason, (int) failed) : events.paused(d, reason))
                        .thenReturn(true);
            }
            boolean unfinished = hosts.stream().anyMatch(h -> h.batch() <= d.currentBatch()
                    && (Status.PENDING.equals(h.status()) || Status.RUNNING.equals(h.status())));
            if (unfinished) {
                return Mono.just(true);
            }
            int next = d.currentBatch() + 1;
            List<DeploymentRepository.HostRow> batch = hosts.stream().filter(h -> h.batch() == d.currentBatch()).toList();
            Mono<Void> moved = deployments.batch(id, next).then(events.batchFinished(d, d.currentBatch(),
                    (int) batch.stream().filter(h -> Status.SUCCEEDED.equals(h.status())).count(),
                    (int) batch.stream().filter(h -> Status.FAILED.equals(h.status())).count()));
            TemplateSpec.Gate gate = spec.gate();
            if (gate != null) {
                Duration bake = Duration.ofSeconds(gate.bakeSeconds());
                Duration lookBack = bake.compareTo(MIN_GATE_WINDOW) >= 0 ? Duration.ZERO : MIN_GATE_WINDOW.minus(bake);
                return moved.then(deployments.bake(id, d.currentBatch(), bake, lookBack)).thenReturn(true);
            }
            return moved.then(afterBatch(d, d.currentBatch())).thenReturn(true);
        });
    }

    /** Once batch {@code batch} is done (and passed its gate): the pause after the first batch, if asked for. */
    private Mono<Void> afterBatch(DeploymentRepository.Row d, int batch) {
        if (batch == 0 && d.pauseAfterFirstBatch() && batch + 1 < d.batchCount()) {
            return deployments.pauseIfRunning(d.id(), "first-batch").flatMap(paused -> paused ? events.paused(d, "first-batch") : Mono.empty());
        }
        return Mono.empty();
    }

    /** A baking batch: wait out its window, then judge the node's availability over it. */
    private Mono<Boolean> gate(DeploymentRepository.Row d) {
        DeploymentRepository.Bake bake = d.gate();
        Duration left = Duration.between(Instant.now(), bake.until());
        if (left.isPositive()) {
            return Mono.delay(left.compareTo(BAKE_POLL) < 0 ? left : BAKE_POLL).thenReturn(true);
        }
        return templates.revision(d.templateId(), d.revision())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("revision " + d.revision() + " of template " + d.templateId() + " is gone")))
                .flatMap(spec -> {
                    if (spec.gate() == null) {
                        return deployments.baked(d.id()).then(afterBatch(d, bake.batch())).thenReturn(true);
                    }
                    double min = spec.gate().minAvailability();
                    String after = "after batch " + (bake.batch() + 1) + " of " + d.batchCount() + ", " + bake.from() + " to " + bake.until();
                    return monitor.availability(d.nodePath(), bake.from(), bake.until())
                            .map(a -> a.availability() == null
                                    ? new Verdict("inconclusive", null, "gate-inconclusive: no requests to the node's URLs " + after)
                                    : a.availability() * 100 < min
                                            ? new Verdict("failed", a.availability() * 100, "gate-failed: availability " + percent(a.availability() * 100)
                                                    + " < " + percent(min) + " " + after + " (" + a.requests() + " requests)")
                                            : new Verdict("passed", a.availability() * 100, null))
                            .onErrorResume(e -> Mono.just(new Verdict("inconclusive", null,
                                    "gate-inconclusive: monitor-service could not be asked (" + e.getMessage() + ") " + after)))
                            .flatMap(v -> {
                                if ("passed".equals(v.outcome())) {
                                    log.info("deployment {}: the gate passed {} at {}", d.id(), after, percent(v.availability()));
                                    return deployments.baked(d.id()).then(afterBatch(d, bake.batch())).thenReturn(true);
                                }
                                return deployments.baked(d.id()).then(deployments.pauseIfRunning(d.id(), v.reason()))
                                        .flatMap(paused -> paused
                                                ? events.gateFailed(d, bake, v.outcome(), v.availability(), min, v.reason()).then(events.paused(d, v.reason()))
                                                : Mono.empty())
                                        .thenReturn(true);
                            });
                });
    }

    /** What the gate found: {@code passed}, {@code failed} or {@code inconclusive}; availability in percent. */
    private record Verdict(String outcome, Double availability, String reason) {

        Verdict {
            // the reason column holds 1000 characters; an error message may be longer
            reason = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 999) + "…";
        }
    }

    private static String percent(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", value);
    }

    /**
     * One host's remaining steps over one SSH session. A drain-aware template ({@code drain}) first takes
     * the host out of traffic (its bindings offline, through ptree-service) and puts it back once its last
     * step — the health check — passed; a host that fails or is cancelled stays out and says so.
     */
    private Mono<Void> host(DeploymentRepository.Row d, DeploymentRepository.HostRow h, List<HostStep> steps, boolean drain,
                            Mono<Boolean> cancelled) {
        AtomicBoolean drained = new AtomicBoolean(h.drained());
        if (h.step() >= steps.size()) {
            // every step ran (a replica died before it said so): put it back if it is still out
            return succeeded(d, h, drained);
        }
        return Mono.usingWhen(ssh.open(h.address()),
                        session -> deployments.hostStatus(d.id(), h.hostname(), Status.RUNNING, null, null)
                                .then(drain && !drained.get() ? drain(d, h, drained) : Mono.empty())
                                .then(step(d, h, steps, h.step(), session, drained, cancelled)),
                        session -> Mono.fromRunnable(session::close))
                .onErrorResume(HostFailure.class, e -> failed(d, h, null, null, e.getMessage(), drained));
    }

    private Mono<Void> drain(DeploymentRepository.Row d, DeploymentRepository.HostRow h, AtomicBoolean drained) {
        return platform.drain(d.nodePath(), h.hostname(), true)
                .onErrorMap(e -> new HostFailure("could not take it out of traffic: " + e.getMessage()))
                .then(Mono.defer(() -> {
                    drained.set(true);
                    return deployments.drained(d.id(), h.hostname(), true);
                }));
    }

    /** Its steps passed: back in traffic if this deployment took it out, then done. */
    private Mono<Void> succeeded(DeploymentRepository.Row d, DeploymentRepository.HostRow h, AtomicBoolean drained) {
        if (!drained.get()) {
            return deployments.hostStatus(d.id(), h.hostname(), Status.SUCCEEDED, 0, null);
        }
        return platform.drain(d.nodePath(), h.hostname(), false)
                .then(Mono.defer(() -> {
                    drained.set(false);
                    return deployments.drained(d.id(), h.hostname(), false);
                }))
                .then(deployments.hostStatus(d.id(), h.hostname(), Status.SUCCEEDED, 0, null))
                .onErrorResume(e -> !(e instanceof HostFailure) && drained.get(),
                        e -> failed(d, h, null, 0, "its steps passed, but it could not be put back in traffic: " + e.getMessage(), drained));
    }

    /** What a host's reason adds when it ends out of traffic. */
    private static String leftOut(AtomicBoolean drained) {
        return drained.get() ? "; left out of traffic (drained)" : "";
    }

    /** The host failed (at {@code step} with {@code exitCode}, or before any step); a drained one says it stays out. */
    private Mono<Void> failed(DeploymentRepository.Row d, DeploymentRepository.HostRow h, String step, Integer exitCode, String why,
                              AtomicBoolean drained) {
        String reason = why + leftOut(drained);
        return deployments.hostStatus(d.id(), h.hostname(), Status.FAILED, exitCode, reason)
                .then(events.hostFailed(d, h.hostname(), step, exitCode, reason));
    }

    private Mono<Void> step(DeploymentRepository.Row d, DeploymentRepository.HostRow h, List<HostStep> steps, int index, HostSession session,
                            AtomicBoolean drained, Mono<Boolean> cancelled) {
        if (index >= steps.size()) {
            return succeeded(d, h, drained);
        }
        HostStep step = steps.get(index);
        // journaled only while the deployment runs; otherwise (or when a replica journaled it before) look why
        Mono<String> started = deployments.stepStarted(d.id(), h.hostname(), index, h.attempt(), step.name())
                .flatMap(journaled -> journaled ? Mono.just(Status.RUNNING) : deployments.find(d.id()).map(DeploymentRepository.Row::status));
        return started.flatMap(now -> {
            if (Status.CANCELLED.equals(now)) {
                return deployments.hostStatus(d.id(), h.hostname(), Status.CANCELLED, null,
                        "the deployment was cancelled" + leftOut(drained));
            }
            if (!Status.RUNNING.equals(now)) {
                // paused: this host waits at this step (drained, if it was) and continues from it on resume
                return deployments.hostStatus(d.id(), h.hostname(), Status.PENDING, h.exitCode(), null);
            }
            StepScript script = new StepScript("d" + d.id(), "step-" + index + ".attempt-" + h.attempt(), d.version(), d.parameters(),
                    step.command(), step.timeoutSeconds());
            StepLog output = new StepLog(d.id(), h.hostname());
            return Mono.defer(() -> {
                        // a cancel stops the running command on the host, whichever replica took it
                        Disposable watch = stopOnCancel(d.id(), cancelled, script, session);
                        return session.run(script.text(), Duration.ofSeconds(step.timeoutSeconds() + 20L), output::add)
                                .doFinally(signal -> watch.dispose());
                    }).onErrorResume(e -> output.close().then(Mono.error(e)))
                    .flatMap(code -> code == 0 && index == steps.size() - 1 && !drained.get()
                            // the last step passed on a host this deployment did not take out of traffic: done, in one write fewer
                            ? output.close().then(deployments.lastStepPassed(d.id(), h.hostname(), index, h.attempt()))
                            : output.close()
                            .then(deployments.stepFinished(d.id(), h.hostname(), index, h.attempt(), code))
                            .then(code == 0 ? step(d, h, steps, index + 1, session, drained, cancelled)
                                    : deployments.find(d.id()).flatMap(after -> Status.CANCELLED.equals(after.status())
                                            ? deployments.hostStatus(d.id(), h.hostname(), Status.CANCELLED, code, "step " + step.name()
                                                    + " was stopped: the deployment was cancelled" + leftOut(drained))
                                            : failed(d, h, step.name(), code, failure(step, code), drained))));
        });
    }

    /** True once deployment {@code id} is cancelled (one look per {@link #CANCEL_POLL}, for all its running hosts). */
    private Mono<Boolean> cancellation(long id) {
        return Flux.interval(CANCEL_POLL).onBackpressureDrop()
                .concatMap(tick -> deployments.find(id).onErrorResume(e -> Mono.empty()))
                .filter(now -> Status.CANCELLED.equals(now.status()))
                .next().map(now -> true);
    }

    /** While a step runs: once the deployment is cancelled, its command on the host is stopped. */
    private Disposable stopOnCancel(long id, Mono<Boolean> cancelled, StepScript script, HostSession session) {
        return cancelled.flatMap(yes -> session.run(script.stopText(), Duration.ofSeconds(30),
                        line -> log.info("deployment {}: {}", id, line.text())))
                .subscribe(null, e -> log.warn("deployment {}: a running step was not stopped: {}", id, e.toString()));
    }

    /**
     * A step's output on its way to MariaDB while the step runs: lines are written in small batches
     * (every 300 ms or 200 lines), so the log and the event stream show them live; past
     * {@value #MAX_LINES_PER_STEP} lines the rest are counted, not kept.
     */
    private final class StepLog {

        private final long deployment;
        private final String hostname;
        private final Sinks.Many<OutputLine> lines = Sinks.many().unicast().onBackpressureBuffer();
        private final Mono<Void> written;
        private int count;
        private int dropped;

        StepLog(long deployment, String hostname) {
            this.deployment = deployment;
            this.hostname = hostname;
            this.written = lines.asFlux().bufferTimeout(200, Duration.ofMillis(300))
                    .concatMap(chunk -> deployments.log(deployment, hostname, chunk)
                            .onErrorResume(e -> {
                                log.warn("deployment {}: {} lines of {} not kept: {}", deployment, chunk.size(), hostname, e.toString());
                                return Mono.empty();
                            }))
                    .then().cache();
            written.subscribe();
        }

        synchronized void add(OutputLine line) {
            if (count++ < MAX_LINES_PER_STEP) {
                lines.tryEmitNext(line);
            } else {
                dropped++;
            }
        }

        /** Completes once every kept line is written. */
        Mono<Void> close() {
            synchronized (this) {
                if (dropped > 0) {
                    lines.tryEmitNext(new OutputLine(true, "loki: " + dropped + " more lines of this step were not kept"));
                    dropped = 0;
                }
                lines.tryEmitComplete();
            }
            return written;
        }
    }

    private static String failure(HostStep step, int code) {
        return code == StepScript.TIMED_OUT ? "step " + step.name() + " timed out after " + step.timeoutSeconds() + " s"
                : "step " + step.name() + " exited " + code;
    }

    private static String replicaName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "deploy-service";
        }
    }
}
