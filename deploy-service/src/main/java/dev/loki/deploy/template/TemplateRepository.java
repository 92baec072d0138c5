package dev.loki.deploy.template;

import java.time.Instant;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.events.NodePath;
import dev.loki.support.Page;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Templates and their revisions; every write runs inside the caller's transaction. */
@Repository
class TemplateRepository {

    private static final String SELECT = "SELECT t.id, t.name, t.node_path, t.revision, r.spec, t.created_by, t.created_at, r.created_by AS updated_by, "
            + "r.created_at AS updated_at FROM templates t JOIN template_revisions r ON r.template_id = t.id AND r.revision = t.revision";

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    TemplateRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Template> find(long id) {
        return db.sql(SELECT + " WHERE t.id = :id").bind("id", id).map(this::template).one();
    }

    /** Revision {@code revision} of template {@code id}, also after the template was deleted. */
    Mono<TemplateSpec> spec(long id, int revision) {
        return db.sql("SELECT spec FROM template_revisions WHERE template_id = :id AND revision = :revision")
                .bind("id", id).bind("revision", revision).map(r -> json.readValue(r.get("spec", String.class), TemplateSpec.class)).one();
    }

    Mono<Page<TemplateRevision>> revisions(long id, int page, int size) {
        var items = db.sql("SELECT revision, created_by, created_at FROM template_revisions WHERE template_id = :id ORDER BY revision DESC "
                        + "LIMIT :limit OFFSET :offset").bind("id", id).bind("limit", size).bind("offset", (long) page * size)
                .map(r -> new TemplateRevision(r.get("revision", Integer.class), r.get("created_by", String.class),
                        Times.instant(r.get("created_at", java.time.LocalDateTime.class)))).all().collectList();
        var total = db.sql("SELECT COUNT(*) FROM template_revisions WHERE template_id = :id").bind("id", id).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    /** Templates on {@code nodePath} and below (all when null), by node and name. */
    Mono<Page<Template>> search(String nodePath, int page, int size) {
        boolean all = nodePath == null || nodePath.equals("/");
        String where = all ? "" : " WHERE t.node_path = :path OR t.node_path LIKE :below";
        var items = bind(db.sql(SELECT + where + " ORDER BY t.node_path, t.name LIMIT :limit OFFSET :offset"), nodePath, all)
                .bind("limit", size).bind("offset", (long) page * size).map(this::template).all().collectList();
        var total = bind(db.sql("SELECT COUNT(*) FROM templates t" + where), nodePath, all).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    /** A new template at revision 1; a DataIntegrityViolationException when its node has one of that name. */
    Mono<Long> insert(TemplateSpec spec, String actor) {
        var now = Times.utc(Times.now());
        return db.sql("INSERT INTO templates (name, node_path, type, revision, created_by, created_at, updated_by, updated_at) "
                        + "VALUES (:name, :path, :type, 1, :actor, :now, :actor, :now)")
                .bind("name", spec.name()).bind("path", spec.nodePath()).bind("type", spec.type()).bind("actor", actor).bind("now", now)
                .filter(s -> s.returnGeneratedValues("id")).map(r -> r.get(0, Long.class)).one()
                .flatMap(id -> revision(id, 1, spec, actor).thenReturn(id));
    }

    /** The current revision, with the template's row locked until the transaction ends; empty when there is none. */
    Mono<Integer> lock(long id) {
        return db.sql("SELECT revision FROM templates WHERE id = :id FOR UPDATE").bind("id", id).map(r -> r.get(0, Integer.class)).one();
    }

    /** Saves {@code spec} as revision {@code revision} and makes it current. */
    Mono<Void> update(long id, int revision, TemplateSpec spec, String actor) {
        return revision(id, revision, spec, actor)
                .then(db.sql("UPDATE templates SET name = :name, node_path = :path, type = :type, revision = :revision, updated_by = :actor, "
                                + "updated_at = :now WHERE id = :id")
                        .bind("name", spec.name()).bind("path", spec.nodePath()).bind("type", spec.type()).bind("revision", revision)
                        .bind("actor", actor).bind("now", Times.utc(Times.now())).bind("id", id).then());
    }

    /** Deletes the template; its revisions stay (deployments pinned them). */
    Mono<Long> delete(long id) {
        return db.sql("DELETE FROM templates WHERE id = :id").bind("id", id).fetch().rowsUpdated();
    }

    /** Re-keys the templates of the subtree {@code oldPath} to {@code newPath} (a rename or move of the node). */
    Mono<Void> movePaths(String oldPath, String newPath) {
        return db.sql("UPDATE templates SET node_path = CONCAT(:new, SUBSTRING(node_path, :from)) WHERE node_path = :old OR node_path LIKE :below")
                .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", NodePath.sqlLikeBelow(oldPath))
                .then();
    }

    /** Drops the templates on {@code path} and below made before {@code deletedAt} (a replay never removes newer ones). */
    Mono<Void> deleteSubtree(String path, Instant deletedAt) {
        return db.sql("DELETE FROM templates WHERE (node_path = :p OR node_path LIKE :below) AND created_at <= :at")
                .bind("p", path).bind("below", NodePath.sqlLikeBelow(path)).bind("at", Times.utc(deletedAt)).then();
    }

    private Mono<Void> revision(long id, int revision, TemplateSpec spec, String actor) {
        return db.sql("INSERT INTO template_revisions (template_id, revision, spec, created_by, created_at) VALUES (:id, :revision, :spec, :actor, :now)")
                .bind("id", id).bind("revision", revision).bind("spec", json.writeValueAsString(spec)).bind("actor", actor)
                .bind("now", Times.utc(Times.now())).then();
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String nodePath, boolean all) {
        return all ? spec : spec.bind("path", nodePath).bind("below", NodePath.sqlLikeBelow(nodePath));
    }

    private Template template(Readable r) {
        TemplateSpec spec = json.readValue(r.get("spec", String.class), TemplateSpec.class);
        // the path and name may have moved with the tree since the revision was saved: the row is current
        return new Template(r.get("id", Long.class), r.get("revision", Integer.class), spec.at(r.get("name", String.class), r.get("node_path", String.class)),
                r.get("created_by", String.class), Times.instant(r.get("created_at", java.time.LocalDateTime.class)),
                r.get("updated_by", String.class), Times.instant(r.get("updated_at", java.time.LocalDateTime.class)));
    }
}
