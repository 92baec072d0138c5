package dev.loki.ptree.change;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.events.NodePath;
import dev.loki.ptree.node.NodeState;
import dev.loki.support.Page;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The change history in MariaDB ({@code changes}); status moves are conditional updates, so two deciders cannot both win. */
@Repository
class ChangeRepository {

    private static final String COLUMNS = "id, kind, node_id, node_path, before_state, after_state, reason, actor, at, status, "
            + "decided_by, decided_at, revert_of, reverted_by, reverted_at";

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    ChangeRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Change> insert(String kind, Long nodeId, String nodePath, NodeState before, NodeState after, String reason, String actor,
                        String status, Long revertOf) {
        Instant at = Times.now();
        var spec = db.sql("INSERT INTO changes (kind, node_id, node_path, before_state, after_state, reason, actor, at, status, revert_of) "
                        + "VALUES (:kind, :nodeId, :path, :before, :after, :reason, :actor, :at, :status, :revertOf)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("kind", kind).bind("path", nodePath).bind("actor", actor).bind("at", Times.utc(at)).bind("status", status);
        spec = nullable(spec, "nodeId", nodeId, Long.class);
        spec = nullable(spec, "before", write(before), String.class);
        spec = nullable(spec, "after", write(after), String.class);
        spec = nullable(spec, "reason", reason, String.class);
        spec = nullable(spec, "revertOf", revertOf, Long.class);
        return spec.map(r -> r.get(0, Long.class)).one().flatMap(this::find);
    }

    Mono<Change> find(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM changes WHERE id = :id").bind("id", id).map(this::change).one();
    }

    /** Changes on {@code nodePath} and below it (all when null), newest first. */
    Mono<Page<Change>> search(String nodePath, String status, int page, int size) {
        List<String> where = new ArrayList<>();
        if (nodePath != null && !nodePath.equals("/")) {
            where.add("(node_path = :path OR node_path LIKE :below)");
        }
        if (status != null) {
            where.add("status = :status");
        }
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        var items = bindFilter(db.sql("SELECT " + COLUMNS + " FROM changes" + clause + " ORDER BY id DESC LIMIT :limit OFFSET :offset"),
                nodePath, status).bind("limit", size).bind("offset", (long) page * size).map(this::change).all().collectList();
        var total = bindFilter(db.sql("SELECT COUNT(*) FROM changes" + clause), nodePath, status).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    /** Moves a change from one status to another; false if it was not in {@code from} (someone else acted). */
    Mono<Boolean> transition(long id, String from, String to) {
        return db.sql("UPDATE changes SET status = :to, status_at = :now WHERE id = :id AND status = :from")
                .bind("to", to).bind("now", Times.utc(Times.now())).bind("id", id).bind("from", from).fetch().rowsUpdated().map(n -> n == 1);
    }

    /** Claims a change for carrying out a decision ({@code applying}/{@code reverting}), remembering who and when. */
    Mono<Boolean> claim(long id, String from, String to, String by) {
        return db.sql("UPDATE changes SET status = :to, status_at = :now, claimed_by = :by WHERE id = :id AND status = :from")
                .bind("to", to).bind("now", Times.utc(Times.now())).bind("by", by).bind("id", id).bind("from", from)
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    /** A change claimed before {@code cutoff} and still in {@code applying}/{@code reverting}, with its claimer. */
    record Stuck(Change change, String claimedBy) {
    }

    Flux<Stuck> stuckSince(Instant cutoff) {
        return db.sql("SELECT " + COLUMNS + ", claimed_by FROM changes WHERE status IN ('applying', 'reverting') "
                        + "AND (status_at IS NULL OR status_at < :cutoff) ORDER BY id LIMIT 100")
                .bind("cutoff", Times.utc(cutoff))
                .map((row, meta) -> new Stuck(change(row), row.get("claimed_by", String.class))).all();
    }

    /** Records the decision on a proposed change (from {@code applying} or {@code pending}). */
    Mono<Void> decide(long id, String status, String decidedBy, Long nodeId, String nodePath, NodeState after) {
        var spec = db.sql("UPDATE changes SET status = :status, decided_by = :by, decided_at = :at, node_id = COALESCE(:nodeId, node_id), "
                        + "node_path = :path, after_state = COALESCE(:after, after_state) WHERE id = :id")
                .bind("status", status).bind("by", decidedBy).bind("at", Times.utc(Times.now())).bind("path", nodePath).bind("id", id);
        spec = nullable(spec, "nodeId", nodeId, Long.class);
        spec = nullable(spec, "after", write(after), String.class);
        return spec.then();
    }

    Mono<Void> markReverted(long id, String by) {
        return db.sql("UPDATE changes SET status = :status, reverted_by = :by, reverted_at = :at WHERE id = :id")
                .bind("status", Change.REVERTED).bind("by", by).bind("at", Times.utc(Times.now())).bind("id", id).then();
    }

    /** After a rename or move: the changes of the node and its subtree, and their bindings' history, follow it to its new path. */
    Mono<Void> rekey(String oldPath, String newPath) {
        return db.sql("UPDATE changes SET node_path = CONCAT(:new, SUBSTRING(node_path, :from)) "
                        + "WHERE node_path = :old OR node_path LIKE :below")
                .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", NodePath.sqlLikeBelow(oldPath)).then()
                .then(db.sql("UPDATE binding_log SET node_path = CONCAT(:new, SUBSTRING(node_path, :from)) WHERE node_path = :old OR node_path LIKE :below")
                        .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", NodePath.sqlLikeBelow(oldPath))
                        .then());
    }

    private static DatabaseClient.GenericExecuteSpec bindFilter(DatabaseClient.GenericExecuteSpec spec, String nodePath, String status) {
        if (nodePath != null && !nodePath.equals("/")) {
            spec = spec.bind("path", nodePath).bind("below", NodePath.sqlLikeBelow(nodePath));
        }
        return status != null ? spec.bind("status", status) : spec;
    }

    private static <T> DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private String write(NodeState state) {
        return state == null ? null : json.writeValueAsString(state);
    }

    private NodeState read(String text) {
        return text == null ? null : json.readValue(text, NodeState.class);
    }

    private Change change(Readable r) {
        return new Change(r.get("id", Long.class), r.get("kind", String.class), r.get("node_id", Long.class), r.get("node_path", String.class),
                read(r.get("before_state", String.class)), read(r.get("after_state", String.class)), r.get("reason", String.class),
                r.get("actor", String.class), Times.instant(r.get("at", LocalDateTime.class)), r.get("status", String.class),
                r.get("decided_by", String.class), Times.instant(r.get("decided_at", LocalDateTime.class)), r.get("revert_of", Long.class),
                r.get("reverted_by", String.class), Times.instant(r.get("reverted_at", LocalDateTime.class)), null);
    }
}
