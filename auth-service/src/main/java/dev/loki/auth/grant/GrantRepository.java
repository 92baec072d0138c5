package dev.loki.auth.grant;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

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
    Mono<Void> movePaths(String oldPath, String newPath) {
        String below = oldPath.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%";
        String rewrite = " SET node_path = CONCAT(:new, SUBSTRING(node_path, :from)) WHERE node_path = :old OR node_path LIKE :below";
        return db.sql("UPDATE IGNORE `grants`" + rewrite)
                .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", below).then()
                .then(db.sql("DELETE FROM `grants` WHERE node_path = :old OR node_path LIKE :below")
                        .bind("old", oldPath).bind("below", below).then())
                .then(db.sql("UPDATE petitions" + rewrite)
                        .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", below).then());
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
