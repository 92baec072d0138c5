package dev.loki.auth.user;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class UserRepository {

    private static final String COLUMNS = "id, username, display_name, email, password_hash, admin, enabled, `groups`, created_at, updated_at";

    private final DatabaseClient db;

    UserRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<User> findByUsername(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE username = :u").bind("u", username)
                .map(UserRepository::user).one();
    }

    public Mono<Boolean> exists(String username) {
        return db.sql("SELECT COUNT(*) FROM users WHERE username = :u").bind("u", username)
                .map(r -> r.get(0, Long.class)).one().map(n -> n > 0);
    }

    /** Whether the one-time start-up step {@code step} was done in this installation. */
    Mono<Boolean> bootstrapDone(String step) {
        return db.sql("SELECT COUNT(*) FROM bootstrap WHERE step = :s").bind("s", step)
                .map(r -> r.get(0, Long.class)).one().map(n -> n > 0);
    }

    Mono<Void> markBootstrapDone(String step) {
        return db.sql("INSERT IGNORE INTO bootstrap (step, done_at) VALUES (:s, :at)").bind("s", step)
                .bind("at", Times.utc(Times.now())).then();
    }

    Flux<User> page(int page, int size) {
        return db.sql("SELECT " + COLUMNS + " FROM users ORDER BY username LIMIT :limit OFFSET :offset")
                .bind("limit", size).bind("offset", (long) page * size)
                .map(UserRepository::user).all();
    }

    Mono<Long> count() {
        return db.sql("SELECT COUNT(*) FROM users").map(r -> r.get(0, Long.class)).one();
    }

    /** Inserts; fails with a DataIntegrityViolationException when the username is taken. */
    Mono<Void> insert(String username, String displayName, String email, String passwordHash, boolean admin,
                      List<String> groups, Instant now) {
        var spec = db.sql("INSERT INTO users (username, display_name, email, password_hash, admin, enabled, `groups`, created_at, updated_at) "
                        + "VALUES (:u, :d, :e, :p, :a, TRUE, :g, :t, :t)")
                .bind("u", username).bind("d", displayName).bind("p", passwordHash).bind("a", admin)
                .bind("g", String.join(",", groups)).bind("t", Times.utc(now));
        spec = email == null ? spec.bindNull("e", String.class) : spec.bind("e", email);
        return spec.then();
    }

    Mono<Void> update(User user) {
        var spec = db.sql("UPDATE users SET display_name = :d, email = :e, password_hash = :p, admin = :a, enabled = :en, "
                        + "`groups` = :g, updated_at = :t WHERE id = :id")
                .bind("d", user.displayName()).bind("p", user.passwordHash()).bind("a", user.admin())
                .bind("en", user.enabled()).bind("g", String.join(",", user.groups()))
                .bind("t", Times.utc(user.updatedAt())).bind("id", user.id());
        spec = user.email() == null ? spec.bindNull("e", String.class) : spec.bind("e", user.email());
        return spec.then();
    }

    Mono<Long> delete(String username) {
        return db.sql("DELETE FROM users WHERE username = :u").bind("u", username).fetch().rowsUpdated();
    }

    private static User user(Readable row) {
        String groups = row.get("groups", String.class);
        return new User(row.get("id", Long.class), row.get("username", String.class), row.get("display_name", String.class),
                row.get("email", String.class), row.get("password_hash", String.class),
                Boolean.TRUE.equals(row.get("admin", Boolean.class)), Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
                groups == null || groups.isEmpty() ? List.of() : Arrays.asList(groups.split(",")),
                Times.instant(row.get("created_at", java.time.LocalDateTime.class)),
                Times.instant(row.get("updated_at", java.time.LocalDateTime.class)));
    }
}
