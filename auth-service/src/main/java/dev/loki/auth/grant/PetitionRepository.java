package dev.loki.auth.grant;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class PetitionRepository {

    private static final String COLUMNS = "id, subject, node_path, privilege, reason, status, decided_by, decided_at, created_at";

    private final DatabaseClient db;

    PetitionRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> insert(String subject, String nodePath, String privilege, String reason, Instant now) {
        return db.sql("INSERT INTO petitions (subject, node_path, privilege, reason, status, created_at) VALUES (:s, :p, :pr, :r, 'pending', :c)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("s", subject).bind("p", nodePath).bind("pr", privilege).bind("r", reason).bind("c", Times.utc(now))
                .map(r -> r.get(0, Long.class)).one();
    }

    Mono<Petition> findById(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM petitions WHERE id = :id").bind("id", id).map(PetitionRepository::petition).one();
    }

    Flux<Petition> findByStatus(String status) {
        var spec = db.sql("SELECT " + COLUMNS + " FROM petitions WHERE (:st IS NULL OR status = :st) ORDER BY id DESC LIMIT 1000");
        spec = status == null ? spec.bindNull("st", String.class) : spec.bind("st", status);
        return spec.map(PetitionRepository::petition).all();
    }

    /** Moves a pending petition to {@code status}; false if it was no longer pending. */
    Mono<Boolean> decide(long id, String status, String decidedBy, Instant now) {
        return db.sql("UPDATE petitions SET status = :st, decided_by = :d, decided_at = :n WHERE id = :id AND status = 'pending'")
                .bind("st", status).bind("d", decidedBy).bind("n", Times.utc(now)).bind("id", id)
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    private static Petition petition(Readable r) {
        return new Petition(r.get("id", Long.class), r.get("subject", String.class), r.get("node_path", String.class),
                r.get("privilege", String.class), r.get("reason", String.class), r.get("status", String.class),
                r.get("decided_by", String.class), Times.instant(r.get("decided_at", LocalDateTime.class)),
                Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
