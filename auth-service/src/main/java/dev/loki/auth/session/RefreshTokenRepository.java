package dev.loki.auth.session;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import reactor.core.publisher.Mono;

@Repository
public class RefreshTokenRepository {

    record RefreshToken(long id, String family, String username, Instant expiresAt, Instant usedAt, Instant revokedAt,
                        Instant familyStartedAt) {
    }

    private final DatabaseClient db;

    RefreshTokenRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Void> insert(String hash, String family, Instant familyStartedAt, String username, Instant expiresAt, Instant now) {
        return db.sql("INSERT INTO refresh_tokens (token_hash, family, family_started_at, username, expires_at, created_at) "
                        + "VALUES (:h, :f, :s, :u, :e, :n)")
                .bind("h", hash).bind("f", family).bind("s", Times.utc(familyStartedAt)).bind("u", username)
                .bind("e", Times.utc(expiresAt)).bind("n", Times.utc(now))
                .then();
    }

    Mono<RefreshToken> findByHash(String hash) {
        return db.sql("SELECT id, family, username, expires_at, used_at, revoked_at, family_started_at FROM refresh_tokens WHERE token_hash = :h")
                .bind("h", hash)
                .map(r -> new RefreshToken(r.get("id", Long.class), r.get("family", String.class), r.get("username", String.class),
                        Times.instant(r.get("expires_at", LocalDateTime.class)), Times.instant(r.get("used_at", LocalDateTime.class)),
                        Times.instant(r.get("revoked_at", LocalDateTime.class)), Times.instant(r.get("family_started_at", LocalDateTime.class))))
                .one();
    }

    /** Marks a token used; answers false if another request used it first. */
    Mono<Boolean> markUsed(long id, Instant now) {
        return db.sql("UPDATE refresh_tokens SET used_at = :n WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL")
                .bind("n", Times.utc(now)).bind("id", id).fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<Long> revokeFamily(String family, Instant now) {
        return db.sql("UPDATE refresh_tokens SET revoked_at = :n WHERE family = :f AND revoked_at IS NULL")
                .bind("n", Times.utc(now)).bind("f", family).fetch().rowsUpdated();
    }

    public Mono<Long> revokeAllOf(String username, Instant now) {
        return db.sql("UPDATE refresh_tokens SET revoked_at = :n WHERE username = :u AND revoked_at IS NULL")
                .bind("n", Times.utc(now)).bind("u", username).fetch().rowsUpdated();
    }

    public Mono<Long> deleteAllOf(String username) {
        return db.sql("DELETE FROM refresh_tokens WHERE username = :u").bind("u", username).fetch().rowsUpdated();
    }
}
