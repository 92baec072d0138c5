package dev.loki.monitor.rules;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;

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
class RuleRepository {

    private static final String COLUMNS = "id, name, node_path, metric, tags, aggregator, downsample, comparator, threshold, for_seconds, "
            + "severity, enabled, no_data_seconds, created_by, created_at, updated_at";
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    RuleRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Rule> find(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM rules WHERE id = :id").bind("id", id).map(this::rule).one();
    }

    Flux<Rule> enabled() {
        return db.sql("SELECT " + COLUMNS + " FROM rules WHERE enabled ORDER BY id").map(this::rule).all();
    }

    /** Rules on {@code nodePath}, its ancestors (they apply to it) and its descendants; all when null. */
    Mono<Page<Rule>> search(String nodePath, int page, int size) {
        String where = nodePath == null || nodePath.equals("/") ? "" : " WHERE node_path = :path OR node_path LIKE :below OR :path LIKE CONCAT(node_path, '/%') OR node_path = '/'";
        var items = bind(db.sql("SELECT " + COLUMNS + " FROM rules" + where + " ORDER BY id LIMIT :limit OFFSET :offset"), nodePath)
                .bind("limit", size).bind("offset", (long) page * size).map(this::rule).all().collectList();
        var total = bind(db.sql("SELECT COUNT(*) FROM rules" + where), nodePath).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    Mono<Rule> insert(Rule r) {
        Instant now = Times.now();
        return values(db.sql("INSERT INTO rules (name, node_path, metric, tags, aggregator, downsample, comparator, threshold, for_seconds, "
                        + "severity, enabled, no_data_seconds, created_by, created_at, updated_at) VALUES (:name, :path, :metric, :tags, :aggregator, "
                        + ":downsample, :comparator, :threshold, :forSeconds, :severity, :enabled, :noData, :createdBy, :now, :now)"), r)
                .bind("createdBy", r.createdBy()).bind("now", Times.utc(now))
                .filter(s -> s.returnGeneratedValues("id"))
                .map(row -> row.get(0, Long.class)).one().flatMap(this::find);
    }

    Mono<Rule> update(Rule r) {
        return values(db.sql("UPDATE rules SET name = :name, node_path = :path, metric = :metric, tags = :tags, aggregator = :aggregator, "
                        + "downsample = :downsample, comparator = :comparator, threshold = :threshold, for_seconds = :forSeconds, "
                        + "severity = :severity, enabled = :enabled, no_data_seconds = :noData, updated_at = :now WHERE id = :id"), r)
                .bind("now", Times.utc(Times.now())).bind("id", r.id())
                .then().then(find(r.id()));
    }

    Mono<Long> delete(long id) {
        return db.sql("DELETE FROM rules WHERE id = :id").bind("id", id).fetch().rowsUpdated();
    }

    /** Re-keys the rules of the subtree {@code oldPath} to {@code newPath} (a rename or move of the node). */
    Mono<Void> movePaths(String oldPath, String newPath) {
        return db.sql("UPDATE rules SET node_path = CONCAT(:new, SUBSTRING(node_path, :from)) WHERE node_path = :old OR node_path LIKE :below")
                .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", NodePath.sqlLikeBelow(oldPath))
                .then();
    }

    /** Drops the rules on {@code path} and below made before {@code deletedAt} (a replay never removes newer ones). */
    Mono<Void> deleteSubtree(String path, Instant deletedAt) {
        return db.sql("DELETE FROM rules WHERE (node_path = :p OR node_path LIKE :below) AND created_at <= :at")
                .bind("p", path).bind("below", NodePath.sqlLikeBelow(path)).bind("at", Times.utc(deletedAt)).then();
    }

    private DatabaseClient.GenericExecuteSpec values(DatabaseClient.GenericExecuteSpec spec, Rule r) {
        spec = spec.bind("name", r.name()).bind("path", r.nodePath()).bind("metric", r.metric()).bind("tags", json.writeValueAsString(r.tags()))
                .bind("aggregator", r.aggregator()).bind("comparator", r.comparator()).bind("threshold", r.threshold())
                .bind("forSeconds", r.forSeconds()).bind("severity", r.severity()).bind("enabled", r.enabled());
        spec = r.noDataSeconds() == null ? spec.bindNull("noData", Integer.class) : spec.bind("noData", r.noDataSeconds());
        return r.downsample() == null ? spec.bindNull("downsample", String.class) : spec.bind("downsample", r.downsample());
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String nodePath) {
        if (nodePath == null || nodePath.equals("/")) {
            return spec;
        }
        return spec.bind("path", nodePath).bind("below", NodePath.sqlLikeBelow(nodePath));
    }

    private Rule rule(Readable r) {
        return new Rule(r.get("id", Long.class), r.get("name", String.class), r.get("node_path", String.class), r.get("metric", String.class),
                json.readValue(r.get("tags", String.class), TAGS), r.get("aggregator", String.class), r.get("downsample", String.class),
                r.get("comparator", String.class), r.get("threshold", Double.class), r.get("for_seconds", Integer.class),
                r.get("severity", String.class), Boolean.TRUE.equals(r.get("enabled", Boolean.class)), r.get("no_data_seconds", Integer.class),
                r.get("created_by", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)), Times.instant(r.get("updated_at", LocalDateTime.class)));
    }
}
