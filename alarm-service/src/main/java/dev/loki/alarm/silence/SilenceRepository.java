package dev.loki.alarm.silence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.events.NodePath;
import dev.loki.support.Page;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class SilenceRepository {

    private static final String COLUMNS = "id, node_path, matchers, starts_at, ends_at, repeat_every, comment, created_by, created_at";
    private static final TypeReference<List<Silence.Matcher>> MATCHERS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    SilenceRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> insert(String nodePath, List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String repeat, String comment, String by) {
        var spec = db.sql("INSERT INTO silences (node_path, matchers, starts_at, ends_at, repeat_every, comment, created_by, created_at) "
                        + "VALUES (:path, :matchers, :starts, :ends, :repeat, :comment, :by, :at)")
                .bind("path", nodePath).bind("matchers", json.writeValueAsString(matchers)).bind("starts", Times.utc(startsAt))
                .bind("ends", Times.utc(endsAt)).bind("comment", comment).bind("by", by).bind("at", Times.utc(Times.now()));
        spec = repeat == null ? spec.bindNull("repeat", String.class) : spec.bind("repeat", repeat);
        return spec.filter(s -> s.returnGeneratedValues("id")).map(r -> r.get(0, Long.class)).one();
    }

    Mono<Silence> find(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM silences WHERE id = :id").bind("id", id).map(this::silence).one();
    }

    /** Silences on {@code nodePath}, its ancestors and descendants (all when null or /), newest first. */
    Mono<Page<Silence>> search(String nodePath, int page, int size) {
        boolean all = nodePath == null || nodePath.equals("/");
        String where = all ? "" : " WHERE node_path IN (:ancestors) OR node_path LIKE :below";
        var items = bind(db.sql("SELECT " + COLUMNS + " FROM silences" + where + " ORDER BY id DESC LIMIT :limit OFFSET :offset"), nodePath, all)
                .bind("limit", size).bind("offset", (long) page * size).map(this::silence).all().collectList();
        var total = bind(db.sql("SELECT COUNT(*) FROM silences" + where), nodePath, all).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String nodePath, boolean all) {
        return all ? spec : spec.bind("ancestors", NodePath.of(nodePath).selfAndAncestors()).bind("below", NodePath.sqlLikeBelow(nodePath));
    }

    /** The silences that can apply to alarms on {@code nodePath}: on it or an ancestor, not over for good. */
    Flux<Silence> covering(String nodePath, Instant now) {
        return db.sql("SELECT " + COLUMNS + " FROM silences WHERE node_path IN (:paths) AND (repeat_every IS NOT NULL OR ends_at > :now)")
                .bind("paths", NodePath.of(nodePath).selfAndAncestors()).bind("now", Times.utc(now)).map(this::silence).all();
    }

    Mono<Long> delete(long id) {
        return db.sql("DELETE FROM silences WHERE id = :id").bind("id", id).fetch().rowsUpdated();
    }

    private Silence silence(Readable r) {
        return new Silence(r.get("id", Long.class), r.get("node_path", String.class), json.readValue(r.get("matchers", String.class), MATCHERS),
                Times.instant(r.get("starts_at", LocalDateTime.class)), Times.instant(r.get("ends_at", LocalDateTime.class)),
                r.get("repeat_every", String.class), r.get("comment", String.class), r.get("created_by", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
