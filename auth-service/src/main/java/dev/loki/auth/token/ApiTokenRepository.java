package dev.loki.auth.token;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ApiTokenRepository {

    private static final String COLUMNS = "id, name, owner, hint, expires_at, revoked_at, last_used_at, created_at";

    private final DatabaseClient db;

    ApiTokenRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> insert(String name, String owner, String hash, String hint, Instant expiresAt, Instant now) {
        var spec = db.sql("INSERT INTO api_tokens (name, owner, token_hash, hint, expires_at, created_at) VALUES (:n, :o, :h, :hint, :e, :c)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("n", name).bind("o", owner).bind("h", hash).bind("hint", hint).bind("c", Times.utc(now));
        spec = expiresAt == null ? spec.bindNull("e", LocalDateTime.class) : spec.bind("e", Times.utc(expiresAt));
        return spec.map(r -> r.get(0, Long.class)).one();
    }

    Mono<ApiToken> findById(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE id = :id").bind("id", id).map(ApiTokenRepository::token).one();
    }

    Mono<ApiToken> findByHash(String hash) {
        return db.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = :h").bind("h", hash).map(ApiTokenRepository::token).one();
    }

    Flux<ApiToken> findByOwner(String owner, int page, int size) {
        return db.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE owner = :o ORDER BY id DESC LIMIT :l OFFSET :off")
                .bind("o", owner).bind("l", size).bind("off", (long) page * size).map(ApiTokenRepository::token).all();
    }

    Mono<Long> countByOwner(String owner) {
        return db.sql("SELECT COUNT(*) FROM api_tokens WHERE owner = :o").bind("o", owner).map(r -> r.get(0, Long.class)).one();
    }

    public Flux<Long> findIdsByOwner(String owner) {
        return db.sql("SELECT id FROM api_tokens WHERE owner = :o").bind("o", owner).map(r -> r.get(0, Long.class)).all();
    }

    /** The owner of token {@code id}, revoked or not. */
    public Mono<String> findOwner(long id) {
        return findById(id).map(ApiToken::owner);
    }

    /** The owner of token {@code id} if it is neither revoked nor expired; empty otherwise. */
    public Mono<String> findActiveOwner(long id) {
        return findById(id).filter(t -> t.usableAt(Times.now())).map(ApiToken::owner);
    }

    public Mono<Boolean> existsActive(long id) {
        return findById(id).map(t -> t.usableAt(Times.now())).defaultIfEmpty(false);
    }

    Mono<Boolean> revoke(long id, Instant now) {
        return db.sql("UPDATE api_tokens SET revoked_at = :n WHERE id = :id AND revoked_at IS NULL")
                .bind("n", Times.utc(now)).bind("id", id).fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<Void> touch(long id, Instant now) {
        return db.sql("UPDATE api_tokens SET last_used_at = :n WHERE id = :id").bind("n", Times.utc(now)).bind("id", id).then();
    }

    public Mono<Long> deleteByOwner(String owner) {
        return db.sql("DELETE FROM api_tokens WHERE owner = :o").bind("o", owner).fetch().rowsUpdated();
    }

    private static ApiToken token(Readable r) {
        return new ApiToken(r.get("id", Long.class), r.get("name", String.class), r.get("owner", String.class), r.get("hint", String.class),
                Times.instant(r.get("expires_at", LocalDateTime.class)), Times.instant(r.get("revoked_at", LocalDateTime.class)),
                Times.instant(r.get("last_used_at", LocalDateTime.class)), Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
