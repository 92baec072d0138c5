package dev.loki.auth.user;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.events.EndedSessions;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code ended_sessions}: when each recently disabled or deleted user's sessions ended. */
@Repository
class EndedSessionRepository {

    private final DatabaseClient db;

    EndedSessionRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Records that {@code username}'s sessions ended {@code at} (a later end wins): one row lock, nothing else. */
    Mono<Void> record(String username, Instant at) {
        return db.sql("INSERT INTO ended_sessions (username, ended_at) VALUES (:u, :at) "
                        + "ON DUPLICATE KEY UPDATE ended_at = GREATEST(ended_at, VALUES(ended_at))")
                .bind("u", username).bind("at", Times.utc(at)).then();
    }

    /** Forgets the ends before {@code before}: no JWT issued before them is still valid. Outside any user change's transaction. */
    Mono<Void> forgetBefore(Instant before) {
        return db.sql("DELETE FROM ended_sessions WHERE ended_at < :before").bind("before", Times.utc(before)).then();
    }

    Flux<EndedSessions.Ended> since(Instant from) {
        return db.sql("SELECT username, ended_at FROM ended_sessions WHERE ended_at >= :from ORDER BY ended_at")
                .bind("from", Times.utc(from))
                .map(r -> new EndedSessions.Ended(r.get("username", String.class), Times.instant(r.get("ended_at", LocalDateTime.class))))
                .all();
    }
}
