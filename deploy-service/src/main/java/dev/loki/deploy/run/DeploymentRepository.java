package dev.loki.deploy.run;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

import dev.loki.deploy.ssh.OutputLine;
import dev.loki.events.NodePath;
import dev.loki.support.Page;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Deployments, their hosts, the step journal and the host logs. Lease times are the database's clock. */
@Repository
class DeploymentRepository {

    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    DeploymentRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * A deployment row; {@code hosts} as the plan cut them. The lease goes to {@code owner} when it starts running.
     * {@code gate} is set while a finished batch bakes before its availability gate judges it.
     */
    record Row(long id, long templateId, int revision, String nodePath, String version, Map<String, String> parameters, String status,
               String reason, int batchCount, int currentBatch, int maxFailures, String onFailure, boolean pauseAfterFirstBatch,
               String requestedBy, Instant createdAt, Instant startedAt, Instant finishedAt, String leaseOwner, Long rollbackOf, Bake gate,
               String upstream) {
    }

    /** Batch {@code batch} bakes until {@code until}; the gate then judges the availability over [{@code from}, {@code until}]. */
    record Bake(int batch, Instant from, Instant until) {
    }

    /** {@code drained}: its bindings are offline now, taken out of traffic by this deployment (a drain-aware template). */
    record HostRow(String hostname, String address, String idc, double trafficRatio, int batch, int position, String status, int step,
                   int attempt, Integer exitCode, String reason, Instant startedAt, Instant finishedAt, boolean drained) {
    }

    Mono<Long> insert(Row d, List<HostRow> hosts, String owner, Duration lease) {
        boolean running = Status.RUNNING.equals(d.status());
        return db.sql("INSERT INTO deployments (template_id, revision, node_path, version, parameters, status, batch_count, current_batch, "
                        + "max_failures, on_failure, pause_after_first_batch, requested_by, created_at, started_at, active_template, lease_owner, lease_until, rollback_of, upstream) "
                        + "VALUES (:t, :rev, :path, :v, :params, :status, :batches, 0, :maxf, :onf, :paf, :by, :now, :started, :t, :owner, "
                        + "IF(:running, UTC_TIMESTAMP(3) + INTERVAL :lease MICROSECOND, NULL), :rollbackOf, :upstream)")
                .bind("t", d.templateId()).bind("rev", d.revision()).bind("path", d.nodePath()).bind("v", d.version())
                .bind("params", json.writeValueAsString(d.parameters())).bind("status", d.status()).bind("batches", d.batchCount())
                .bind("maxf", d.maxFailures()).bind("onf", d.onFailure()).bind("paf", d.pauseAfterFirstBatch()).bind("by", d.requestedBy())
                .bind("now", Times.utc(d.createdAt())).bind("started", Parameter.fromOrEmpty(running ? Times.utc(d.createdAt()) : null, LocalDateTime.class))
                .bind("owner", Parameter.fromOrEmpty(running ? owner : null, String.class)).bind("running", running).bind("lease", lease.toNanos() / 1000)
                .bind("rollbackOf", Parameter.fromOrEmpty(d.rollbackOf(), Long.class)).bind("upstream", Parameter.fromOrEmpty(d.upstream(), String.class))
                .filter(s -> s.returnGeneratedValues("id")).map(r -> r.get("id", Long.class)).one()
                .flatMap(id -> Flux.fromIterable(hosts).buffer(500).concatMap(chunk -> insertHosts(id, chunk))
                        .then(event(id, null, d.status(), null, null)).then(Mono.just(id)));
    }

    private Mono<Void> insertHosts(long id, List<HostRow> hosts) {
        StringBuilder sql = new StringBuilder("INSERT INTO deployment_hosts (deployment_id, hostname, address, idc, traffic_ratio, batch_index, position, "
                + "status, step, attempt) VALUES ");
        for (int i = 0; i < hosts.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id, :h").append(i).append(", :a").append(i).append(", :i").append(i).append(", :r").append(i)
                    .append(", :b").append(i).append(", :p").append(i).append(", 'pending', 0, 1)");
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("id", id);
        for (int i = 0; i < hosts.size(); i++) {
            HostRow h = hosts.get(i);
            spec = spec.bind("h" + i, h.hostname()).bind("a" + i, h.address()).bind("i" + i, Parameter.fromOrEmpty(h.idc(), String.class))
                    .bind("r" + i, h.trafficRatio()).bind("b" + i, h.batch()).bind("p" + i, h.position());
        }
        return spec.then();
    }

    Mono<Row> find(long id) {
        return db.sql("SELECT * FROM deployments WHERE id = :id").bind("id", id).map(this::row).one();
    }

    /** The newest succeeded deployment of {@code templateId} before {@code before}. */
    Mono<Row> lastSucceeded(long templateId, long before) {
        return db.sql("SELECT * FROM deployments WHERE template_id = :t AND id < :before AND status = 'succeeded' ORDER BY id DESC LIMIT 1")
                .bind("t", templateId).bind("before", before).map(this::row).one();
    }

    Mono<Row> lock(long id) {
        return db.sql("SELECT * FROM deployments WHERE id = :id FOR UPDATE").bind("id", id).map(this::row).one();
    }

    Mono<List<HostRow>> hosts(long id) {
        return db.sql("SELECT * FROM deployment_hosts WHERE deployment_id = :id ORDER BY batch_index, position").bind("id", id)
                .map(DeploymentRepository::host).all().collectList();
    }

    Mono<Page<Row>> search(String nodePath, String status, int page, int size) {
        String where = " WHERE 1 = 1" + (nodePath == null ? "" : " AND (node_path = :path OR node_path LIKE :below)")
                + (status == null ? "" : " AND status = :status");
        var items = bind(db.sql("SELECT * FROM deployments" + where + " ORDER BY id DESC LIMIT :limit OFFSET :offset"), nodePath, status)
                .bind("limit", size).bind("offset", (long) page * size).map(this::row).all().collectList();
        var total = bind(db.sql("SELECT COUNT(*) FROM deployments" + where), nodePath, status).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    /**
     * The deployments that were running at some time in [{@code since}, {@code until}] on {@code nodePath} (itself, above
     * or below) or on one of {@code hostnames} (a host whose steps began), newest start first, with the hosts asked about
     * that each ran on.
     */
    Mono<List<dev.loki.events.RecentDeployments.Deployment>> recent(String nodePath, List<String> hostnames, Instant since, Instant until,
                                                                    int limit) {
        List<String> where = new java.util.ArrayList<>();
        if (nodePath != null) {
            where.add("d.node_path IN (:above) OR d.node_path LIKE :below");
        }
        if (!hostnames.isEmpty()) {
            where.add("d.id IN (SELECT h.deployment_id FROM deployment_hosts h WHERE h.hostname IN (:hosts) AND h.started_at IS NOT NULL)");
        }
        var spec = db.sql("SELECT d.*, (SELECT COUNT(*) FROM deployment_hosts c WHERE c.deployment_id = d.id) AS host_count FROM deployments d "
                        + "WHERE d.started_at IS NOT NULL AND d.started_at <= :until AND (d.finished_at IS NULL OR d.finished_at >= :since) AND ("
                        + String.join(" OR ", where) + ") ORDER BY d.started_at DESC, d.id DESC LIMIT :limit")
                .bind("since", Times.utc(since)).bind("until", Times.utc(until)).bind("limit", limit);
        if (nodePath != null) {
            spec = spec.bind("above", NodePath.of(nodePath).selfAndAncestors()).bind("below", NodePath.sqlLikeBelow(nodePath));
        }
        if (!hostnames.isEmpty()) {
            spec = spec.bind("hosts", hostnames);
        }
        return spec.map(r -> java.util.Map.entry(row(r), r.get("host_count", Long.class).intValue())).all().collectList().flatMap(found -> {
            if (found.isEmpty() || hostnames.isEmpty()) {
                return Mono.just(found.stream().map(e -> recent(e.getKey(), e.getValue(), List.of())).toList());
            }
            return db.sql("SELECT deployment_id, hostname FROM deployment_hosts WHERE deployment_id IN (:ids) AND hostname IN (:hosts) "
                            + "AND started_at IS NOT NULL ORDER BY hostname")
                    .bind("ids", found.stream().map(e -> e.getKey().id()).toList()).bind("hosts", hostnames)
                    .map(r -> java.util.Map.entry(r.get("deployment_id", Long.class), r.get("hostname", String.class))).all()
                    .collectMultimap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)
                    .map(touched -> found.stream().map(e -> recent(e.getKey(), e.getValue(),
                            List.copyOf(touched.getOrDefault(e.getKey().id(), List.of())))).toList());
        });
    }

    private static dev.loki.events.RecentDeployments.Deployment recent(Row d, int hosts, List<String> touched) {
        return new dev.loki.events.RecentDeployments.Deployment(d.id(), d.nodePath(), d.templateId(), d.version(), d.status(), d.requestedBy(),
                d.startedAt(), d.finishedAt(), d.rollbackOf(), hosts, touched);
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String nodePath, String status) {
        if (nodePath != null) {
            spec = spec.bind("path", nodePath).bind("below", NodePath.sqlLikeBelow(nodePath));
        }
        return status == null ? spec : spec.bind("status", status);
    }

    /** Moves the deployment to {@code status} (and {@code reason}); finished ones also let go of their template and lease. */
    Mono<Void> status(long id, String status, String reason) {
        boolean finished = Status.FINISHED.contains(status);
        return db.sql("UPDATE deployments SET status = :status, reason = :reason"
                        + (Status.RUNNING.equals(status) ? ", started_at = COALESCE(started_at, UTC_TIMESTAMP(3))" : "")
                        + (finished ? ", finished_at = UTC_TIMESTAMP(3), active_template = NULL, lease_owner = NULL, lease_until = NULL, "
                                + "gate_batch = NULL, gate_from = NULL, gate_until = NULL" : "")
                        + " WHERE id = :id")
                .bind("status", status).bind("reason", Parameter.fromOrEmpty(reason, String.class)).bind("id", id).then()
                .then(event(id, null, status, reason, null));
    }

    /** Runs the deployment again; {@code why} (who resumed it, with their note) goes to its history, not its reason. */
    Mono<Void> resume(long id, String why) {
        return db.sql("UPDATE deployments SET status = 'running', reason = NULL, started_at = COALESCE(started_at, UTC_TIMESTAMP(3)) WHERE id = :id")
                .bind("id", id).then()
                .then(event(id, null, Status.RUNNING, why, null));
    }

    /** Pauses the deployment only if it still runs (a cancel or pause that came first stands); true when it did. */
    Mono<Boolean> pauseIfRunning(long id, String reason) {
        return db.sql("UPDATE deployments SET status = 'paused', reason = :reason WHERE id = :id AND status = 'running'")
                .bind("reason", reason).bind("id", id).fetch().rowsUpdated()
                .flatMap(n -> n > 0 ? event(id, null, Status.PAUSED, reason, null).thenReturn(true) : Mono.just(false));
    }

    /** One line of the deployment's event history. */
    private Mono<Void> event(long id, String hostname, String status, String reason, Integer exitCode) {
        return db.sql("INSERT INTO deployment_events (deployment_id, at, hostname, status, reason, exit_code) "
                        + "VALUES (:id, UTC_TIMESTAMP(3), :h, :status, :reason, :code)")
                .bind("id", id).bind("h", Parameter.fromOrEmpty(hostname, String.class)).bind("status", status)
                .bind("reason", Parameter.fromOrEmpty(reason, String.class)).bind("code", Parameter.fromOrEmpty(exitCode, Integer.class)).then();
    }

    /** A status change or an output line, as the event stream shows it. */
    record Event(long id, boolean line, Instant at, String hostname, String status, String reason, Integer exitCode, String stream, String text) {
    }

    /** Status changes after {@code afterEvent} and output lines after {@code afterLine}, at most {@code limit} of each. */
    Mono<List<Event>> events(long id, long afterEvent, long afterLine, int limit) {
        var changes = db.sql("SELECT id, at, hostname, status, reason, exit_code FROM deployment_events WHERE deployment_id = :id AND id > :after "
                        + "ORDER BY id LIMIT :limit").bind("id", id).bind("after", afterEvent).bind("limit", limit)
                .map(r -> new Event(r.get("id", Long.class), false, instant(r, "at"), r.get("hostname", String.class), r.get("status", String.class),
                        r.get("reason", String.class), r.get("exit_code", Integer.class), null, null)).all().collectList();
        var lines = db.sql("SELECT id, at, hostname, stream, line FROM host_logs WHERE deployment_id = :id AND id > :after ORDER BY id LIMIT :limit")
                .bind("id", id).bind("after", afterLine).bind("limit", limit)
                .map(r -> new Event(r.get("id", Long.class), true, instant(r, "at"), r.get("hostname", String.class), null, null, null,
                        r.get("stream", String.class), r.get("line", String.class))).all().collectList();
        return Mono.zip(changes, lines).map(t -> {
            List<Event> all = new java.util.ArrayList<>(t.getT1());
            all.addAll(t.getT2());
            all.sort(java.util.Comparator.comparing(Event::at).thenComparing(Event::line).thenComparingLong(Event::id));
            return all;
        });
    }

    Mono<Void> batch(long id, int next) {
        return db.sql("UPDATE deployments SET current_batch = :next WHERE id = :id").bind("next", next).bind("id", id).then();
    }

    /**
     * Batch {@code batch} starts baking now, for {@code bake}; its window reaches back {@code lookBack}
     * before now (so a short bake still covers a whole minute of monitor data).
     */
    Mono<Void> bake(long id, int batch, Duration bake, Duration lookBack) {
        return db.sql("UPDATE deployments SET gate_batch = :batch, gate_from = UTC_TIMESTAMP(3) - INTERVAL :back MICROSECOND, "
                        + "gate_until = UTC_TIMESTAMP(3) + INTERVAL :bake MICROSECOND WHERE id = :id")
                .bind("batch", batch).bind("back", lookBack.toNanos() / 1000).bind("bake", bake.toNanos() / 1000).bind("id", id).then();
    }

    /** The gate has judged (or the deployment moved on without it). */
    Mono<Void> baked(long id) {
        return db.sql("UPDATE deployments SET gate_batch = NULL, gate_from = NULL, gate_until = NULL WHERE id = :id").bind("id", id).then();
    }

    Mono<Void> hostStatus(long id, String hostname, String status, Integer exitCode, String reason) {
        boolean done = Status.FINISHED.contains(status) || Status.SKIPPED.equals(status);
        return db.sql("UPDATE deployment_hosts SET status = :status, exit_code = :code, reason = :reason"
                        + (Status.RUNNING.equals(status) ? ", started_at = COALESCE(started_at, UTC_TIMESTAMP(3))" : "")
                        + (done ? ", finished_at = UTC_TIMESTAMP(3)" : ", finished_at = NULL")
                        + " WHERE deployment_id = :id AND hostname = :h")
                .bind("status", status).bind("code", Parameter.fromOrEmpty(exitCode, Integer.class)).bind("reason", Parameter.fromOrEmpty(reason, String.class))
                .bind("id", id).bind("h", hostname).then()
                .then(event(id, hostname, status, reason, exitCode));
    }

    /** The host is out of traffic now (or back in); with its event, so the history shows drains. */
    Mono<Void> drained(long id, String hostname, boolean drained) {
        return db.sql("UPDATE deployment_hosts SET drained = :d WHERE deployment_id = :id AND hostname = :h")
                .bind("d", drained).bind("id", id).bind("h", hostname).then()
                .then(event(id, hostname, drained ? "drained" : "restored", drained ? "taken out of traffic" : "back in traffic", null));
    }

    /** A failed host tried again from the step it failed at, as a new attempt. */
    Mono<Void> retry(long id, String hostname) {
        return db.sql("UPDATE deployment_hosts SET status = 'pending', attempt = attempt + 1, exit_code = NULL, reason = NULL, finished_at = NULL "
                + "WHERE deployment_id = :id AND hostname = :h").bind("id", id).bind("h", hostname).then()
                .then(event(id, hostname, Status.PENDING, "retry", null));
    }

    /**
     * Journals the step as started — only while the deployment runs, in the same statement that looks.
     * True: journaled (or journaled before, by a replica that ran it); false: nothing written, and the
     * deployment may not be running (the caller looks why). Saves a status read per step.
     */
    Mono<Boolean> stepStarted(long id, String hostname, int step, int attempt, String name) {
        return db.sql("INSERT INTO host_steps (deployment_id, hostname, step, attempt, name, started_at) "
                        + "SELECT :id, :h, :s, :a, :n, UTC_TIMESTAMP(3) FROM deployments WHERE id = :deployment AND status = 'running' "
                        + "ON DUPLICATE KEY UPDATE started_at = host_steps.started_at")
                .bind("id", id).bind("h", hostname).bind("s", step).bind("a", attempt).bind("n", name).bind("deployment", id)
                .fetch().rowsUpdated().map(rows -> rows > 0);
    }

    /**
     * The host's last step exited 0 and the host is done: the journal entry finished and the host
     * {@code succeeded} past it in one update, with its event (what {@link #stepFinished} and
     * {@link #hostStatus} write, in one statement fewer).
     */
    Mono<Void> lastStepPassed(long id, String hostname, int step, int attempt) {
        return db.sql("UPDATE host_steps SET finished_at = UTC_TIMESTAMP(3), exit_code = 0 WHERE deployment_id = :id AND hostname = :h AND step = :s AND attempt = :a")
                .bind("id", id).bind("h", hostname).bind("s", step).bind("a", attempt).then()
                .then(db.sql("UPDATE deployment_hosts SET step = :next, exit_code = 0, status = :status, reason = NULL, finished_at = UTC_TIMESTAMP(3) "
                                + "WHERE deployment_id = :id AND hostname = :h")
                        .bind("next", step + 1).bind("status", Status.SUCCEEDED).bind("id", id).bind("h", hostname).then())
                .then(event(id, hostname, Status.SUCCEEDED, null, 0));
    }

    /** Records the step's exit and moves the host past it (when it exited 0) in one statement pair. */
    Mono<Void> stepFinished(long id, String hostname, int step, int attempt, int exitCode) {
        return db.sql("UPDATE host_steps SET finished_at = UTC_TIMESTAMP(3), exit_code = :code WHERE deployment_id = :id AND hostname = :h AND step = :s AND attempt = :a")
                .bind("code", exitCode).bind("id", id).bind("h", hostname).bind("s", step).bind("a", attempt).then()
                .then(db.sql("UPDATE deployment_hosts SET step = :next, exit_code = :code WHERE deployment_id = :id AND hostname = :h")
                        .bind("next", exitCode == 0 ? step + 1 : step).bind("code", exitCode).bind("id", id).bind("h", hostname).then());
    }

    /** The journal: every step started, with its exit once finished, in order. */
    Mono<List<Map<String, Object>>> journal(long id, String hostname) {
        return db.sql("SELECT step, attempt, name, started_at, finished_at, exit_code FROM host_steps WHERE deployment_id = :id AND hostname = :h "
                        + "ORDER BY started_at, step, attempt").bind("id", id).bind("h", hostname)
                .map(r -> {
                    Map<String, Object> entry = new java.util.LinkedHashMap<>();
                    entry.put("step", r.get("step", Integer.class));
                    entry.put("attempt", r.get("attempt", Integer.class));
                    entry.put("name", r.get("name", String.class));
                    entry.put("startedAt", Times.instant(r.get("started_at", LocalDateTime.class)));
                    LocalDateTime finished = r.get("finished_at", LocalDateTime.class);
                    entry.put("finishedAt", finished == null ? null : Times.instant(finished));
                    entry.put("exitCode", r.get("exit_code", Integer.class));
                    return entry;
                }).all().collectList();
    }

    Mono<Void> log(long id, String hostname, List<OutputLine> lines) {
        if (lines.isEmpty()) {
            return Mono.empty();
        }
        StringBuilder sql = new StringBuilder("INSERT INTO host_logs (deployment_id, hostname, at, stream, line) VALUES ");
        for (int i = 0; i < lines.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id, :h, UTC_TIMESTAMP(3), :s").append(i).append(", :l").append(i).append(')');
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("id", id).bind("h", hostname);
        for (int i = 0; i < lines.size(); i++) {
            spec = spec.bind("s" + i, lines.get(i).error() ? "err" : "out").bind("l" + i, lines.get(i).text());
        }
        return spec.then();
    }

    Flux<String> logText(long id, String hostname) {
        return db.sql("SELECT at, stream, line FROM host_logs WHERE deployment_id = :id AND hostname = :h ORDER BY id").bind("id", id).bind("h", hostname)
                .map(r -> Times.instant(r.get("at", LocalDateTime.class)) + (r.get("stream", String.class).equals("err") ? " ! " : "   ")
                        + r.get("line", String.class) + "\n").all();
    }

    /** Running deployments nobody holds (no lease, or an expired one) become {@code owner}'s; their ids. */
    Mono<List<Long>> claim(String owner, Duration lease) {
        return db.sql("UPDATE deployments SET lease_owner = :owner, lease_until = UTC_TIMESTAMP(3) + INTERVAL :lease MICROSECOND "
                        + "WHERE status = 'running' AND (lease_until IS NULL OR lease_until < UTC_TIMESTAMP(3))")
                .bind("owner", owner).bind("lease", lease.toNanos() / 1000).then()
                .then(db.sql("SELECT id FROM deployments WHERE lease_owner = :owner AND status = 'running'").bind("owner", owner)
                        .map(r -> r.get("id", Long.class)).all().collectList());
    }

    /**
     * Extends {@code owner}'s leases on {@code ids}; answers those of them that another replica now
     * drives (running under someone else's lease). One that finished or paused here is not among them:
     * its own loop sees that and ends.
     */
    Mono<List<Long>> renew(String owner, Collection<Long> ids, Duration lease) {
        if (ids.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.sql("UPDATE deployments SET lease_until = UTC_TIMESTAMP(3) + INTERVAL :lease MICROSECOND WHERE lease_owner = :owner AND id IN (:ids)")
                .bind("lease", lease.toNanos() / 1000).bind("owner", owner).bind("ids", ids).then()
                .then(db.sql("SELECT id FROM deployments WHERE id IN (:ids) AND status = 'running' AND lease_owner IS NOT NULL AND lease_owner <> :owner")
                        .bind("owner", owner).bind("ids", ids).map(r -> r.get("id", Long.class)).all().collectList());
    }

    /** Hosts that never started: cancelled with their deployment (each with its event). */
    Mono<Void> cancelPending(long id) {
        String reason = "the deployment was cancelled";
        return db.sql("INSERT INTO deployment_events (deployment_id, at, hostname, status, reason) SELECT deployment_id, UTC_TIMESTAMP(3), "
                        + "hostname, 'cancelled', :reason FROM deployment_hosts WHERE deployment_id = :id AND status = 'pending'")
                .bind("id", id).bind("reason", reason).then()
                .then(db.sql("UPDATE deployment_hosts SET status = 'cancelled', reason = :reason, finished_at = UTC_TIMESTAMP(3) "
                        + "WHERE deployment_id = :id AND status = 'pending'").bind("id", id).bind("reason", reason).then());
    }

    /** The lease of a deployment that is to run here now (after resume, approval, retry). */
    Mono<Void> take(long id, String owner, Duration lease) {
        return db.sql("UPDATE deployments SET lease_owner = :owner, lease_until = UTC_TIMESTAMP(3) + INTERVAL :lease MICROSECOND "
                        + "WHERE id = :id AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < UTC_TIMESTAMP(3))")
                .bind("owner", owner).bind("lease", lease.toNanos() / 1000).bind("id", id).then();
    }

    Mono<Void> release(String owner, long id) {
        return db.sql("UPDATE deployments SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner")
                .bind("id", id).bind("owner", owner).then();
    }

    private Row row(Readable r) {
        return new Row(r.get("id", Long.class), r.get("template_id", Long.class), r.get("revision", Integer.class), r.get("node_path", String.class),
                r.get("version", String.class), json.readValue(r.get("parameters", String.class), PARAMETERS), r.get("status", String.class),
                r.get("reason", String.class), r.get("batch_count", Integer.class), r.get("current_batch", Integer.class),
                r.get("max_failures", Integer.class), r.get("on_failure", String.class), Boolean.TRUE.equals(r.get("pause_after_first_batch", Boolean.class)),
                r.get("requested_by", String.class), instant(r, "created_at"), instant(r, "started_at"), instant(r, "finished_at"),
                r.get("lease_owner", String.class), r.get("rollback_of", Long.class),
                r.get("gate_batch", Integer.class) == null ? null
                        : new Bake(r.get("gate_batch", Integer.class), instant(r, "gate_from"), instant(r, "gate_until")),
                r.get("upstream", String.class));
    }

    private static HostRow host(Readable r) {
        return new HostRow(r.get("hostname", String.class), r.get("address", String.class), r.get("idc", String.class),
                r.get("traffic_ratio", Double.class), r.get("batch_index", Integer.class), r.get("position", Integer.class),
                r.get("status", String.class), r.get("step", Integer.class), r.get("attempt", Integer.class), r.get("exit_code", Integer.class),
                r.get("reason", String.class), instant(r, "started_at"), instant(r, "finished_at"), Boolean.TRUE.equals(r.get("drained", Boolean.class)));
    }

    private static Instant instant(Readable r, String column) {
        LocalDateTime value = r.get(column, LocalDateTime.class);
        return value == null ? null : Times.instant(value);
    }
}
