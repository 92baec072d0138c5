package dev.loki.auth.grant;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.events.NodePath;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class GrantRepository {

    private static final String COLUMNS = "id, subject, node_path, privilege, granted_by, created_at";

    private final DatabaseClient db;

    GrantRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> insert(String subject, String nodePath, String privilege, String grantedBy, Instant now) {
        return db.sql("INSERT INTO `grants` (subject, node_path, privilege, granted_by, created_at) VALUES (:s, :p, :pr, :g, :c)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("s", subject).bind("p", nodePath).bind("pr", privilege).bind("g", grantedBy).bind("c", Times.utc(now))
                .map(r -> r.get(0, Long.class)).one();
    }

    Mono<Grant> findById(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM `grants` WHERE id = :id").bind("id", id).map(GrantRepository::grant).one();
    }

    /** Grants of any of {@code subjects} for {@code privilege} on any of {@code paths}. */
    Flux<Grant> find(Collection<String> subjects, String privilege, Collection<String> paths) {
        return db.sql("SELECT " + COLUMNS + " FROM `grants` WHERE subject IN (:s) AND privilege = :pr AND node_path IN (:p)")
                .bind("s", List.copyOf(subjects)).bind("pr", privilege).bind("p", List.copyOf(paths))
                .map(GrantRepository::grant).all();
    }

    private static final String FILTER = " WHERE (:s IS NULL OR subject = :s) AND (:p IS NULL OR node_path = :p)";

    Flux<Grant> search(String subject, String nodePath, int page, int size) {
        var spec = db.sql("SELECT " + COLUMNS + " FROM `grants`" + FILTER + " ORDER BY id LIMIT :l OFFSET :o")
                .bind("l", size).bind("o", (long) page * size);
        return bindFilter(spec, subject, nodePath).map(GrantRepository::grant).all();
    }

    Mono<Long> count(String subject, String nodePath) {
        var spec = db.sql("SELECT COUNT(*) FROM `grants`" + FILTER);
        return bindFilter(spec, subject, nodePath).map(r -> r.get(0, Long.class)).one();
    }

    private static DatabaseClient.GenericExecuteSpec bindFilter(DatabaseClient.GenericExecuteSpec spec, String subject, String nodePath) {
        spec = subject == null ? spec.bindNull("s", String.class) : spec.bind("s", subject);
        return nodePath == null ? spec.bindNull("p", String.class) : spec.bind("p", nodePath);
    }

    Mono<Long> delete(long id) {
        return db.sql("DELETE FROM `grants` WHERE id = :id").bind("id", id).fetch().rowsUpdated();
    }

    /**
     * Re-keys grants and petitions on {@code oldPath} and below to {@code newPath}. A grant that
     * already exists at the new place wins; the duplicate at the old place is dropped. Idempotent.
     */
    /**
     * Re-keys the grants and petitions of the subtree {@code oldPath} to {@code newPath}. A grant that
     * the subject already holds at the destination is dropped first (the unique key would refuse it);
     * the rewrite itself is strict: a path too long for its column fails the statement, never truncated.
     */
    Mono<Void> movePaths(String oldPath, String newPath) {
        String below = NodePath.sqlLikeBelow(oldPath);
        String moved = "CONCAT(:new, SUBSTRING(g.node_path, :from))";
        String inSubtree = "(g.node_path = :old OR g.node_path LIKE :below)";
        return db.sql("DELETE g FROM `grants` g JOIN `grants` h ON h.subject = g.subject AND h.privilege = g.privilege AND h.node_path = "
                        + moved + " WHERE " + inSubtree + " AND h.id <> g.id")
                .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", below).then()
                .then(db.sql("UPDATE `grants` g SET g.node_path = " + moved + " WHERE " + inSubtree)
                        .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", below).then())
                .then(db.sql("UPDATE petitions g SET g.node_path = " + moved + " WHERE " + inSubtree)
                        .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", below).then())
                .then(db.sql("UPDATE grant_log g SET g.node_path = " + moved + " WHERE " + inSubtree)
                        .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", below).then());
    }

    /** One entry of the grants' history: {@code action} granted or revoked. */
    Mono<Void> log(long grantId, String subject, String nodePath, String privilege, String action, String actor, Instant at) {
        return db.sql("INSERT INTO grant_log (grant_id, subject, node_path, privilege, action, actor, at) VALUES (:g, :s, :p, :pr, :a, :actor, :at)")
                .bind("g", grantId).bind("s", subject).bind("p", nodePath).bind("pr", privilege).bind("a", action).bind("actor", actor)
                .bind("at", Times.utc(at)).then();
    }

    /** The grants given or revoked in [{@code since}, {@code until}] on {@code nodePath}, its ancestors and its subtree, newest first. */
    Flux<dev.loki.events.RecentGrants.Entry> recent(String nodePath, Instant since, Instant until, int limit) {
        return db.sql("SELECT subject, node_path, privilege, action, actor, at FROM grant_log WHERE at BETWEEN :since AND :until "
                        + "AND (node_path IN (:above) OR node_path LIKE :below) ORDER BY at DESC, id DESC LIMIT :limit")
                .bind("since", Times.utc(since)).bind("until", Times.utc(until)).bind("above", NodePath.of(nodePath).selfAndAncestors())
                .bind("below", NodePath.sqlLikeBelow(nodePath)).bind("limit", limit)
                .map(r -> new dev.loki.events.RecentGrants.Entry(Times.instant(r.get("at", java.time.LocalDateTime.class)), r.get("action", String.class),
                        r.get("subject", String.class), r.get("node_path", String.class), r.get("privilege", String.class), r.get("actor", String.class)))
                .all();
    }

    /**
     * Drops the grants and pending petitions on {@code path} and below that were made before
     * {@code deletedAt} (when the node was deleted): a replayed deletion never removes what was granted
     * on a node re-created there since.
     */
    Mono<Void> deleteSubtree(String path, Instant deletedAt) {
        String below = NodePath.sqlLikeBelow(path);
        LocalDateTime before = Times.utc(deletedAt);
        return db.sql("DELETE FROM `grants` WHERE (node_path = :p OR node_path LIKE :below) AND created_at <= :at")
                .bind("p", path).bind("below", below).bind("at", before).then()
                .then(db.sql("DELETE FROM petitions WHERE (node_path = :p OR node_path LIKE :below) AND status = 'pending' AND created_at <= :at")
                        .bind("p", path).bind("below", below).bind("at", before).then());
    }

    public Mono<Long> deleteBySubjects(List<String> subjects) {
        if (subjects.isEmpty()) {
            return Mono.just(0L);
        }
        return db.sql("DELETE FROM `grants` WHERE subject IN (:s)").bind("s", subjects).fetch().rowsUpdated();
    }

    private static Grant grant(Readable r) {
        return new Grant(r.get("id", Long.class), r.get("subject", String.class), r.get("node_path", String.class),
                r.get("privilege", String.class), r.get("granted_by", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
