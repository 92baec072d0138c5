package dev.loki.auth.grant;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.auth.system.AuthProperties;
import dev.loki.events.EventCodec;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodePath;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.ChangeLogFollower;
import dev.loki.support.InternalCalls;
import dev.loki.support.LokiProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Grants and petitions are keyed by node path; when ptree-service renames or moves a node, they
 * follow it, and when it deletes one they go with it (a node re-created at the same path later starts
 * with no privileges). The changes are read from ptree-service's path-change log, the authority, in
 * its order and each once (see {@link ChangeLogFollower}); the {@code ptree.path-changes} stream only
 * says when to look, so an entry someone appended to it by hand moves nothing.
 */
@Component
class PathChangeConsumer implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PathChangeConsumer.class);

    private final ReactiveRedisConnectionFactory redis;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final GrantRepository grants;
    private final EventCodec codec;
    private final WebClient ptree;
    private final String stream;
    private final Duration pollInterval;
    private Disposable subscription;

    PathChangeConsumer(ReactiveRedisConnectionFactory redis, DatabaseClient db, ReactiveTransactionManager transactions,
                       GrantRepository grants, EventCodec codec, WebClient.Builder web, InternalCalls internal, AuthProperties auth, LokiProperties properties,
                       @Value("${loki.path-changes.poll-interval:5s}") Duration pollInterval) {
        this.redis = redis;
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
        this.grants = grants;
        this.codec = codec;
        this.ptree = internal.authenticate(web).baseUrl(auth.ptreeUri().toString()).build();
        this.stream = properties.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
        this.pollInterval = pollInterval;
    }

    /** Once the application is ready (its schema migrated): catching up needs the position table. */
    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        subscription = ChangeLogFollower.start(Streams.PTREE_PATH_CHANGES, ptree, "/internal/ptree/path-changes", stream, pollInterval,
                redis, db, tx, codec, event -> switch (event) {
                    case NodeRenamed renamed -> move(renamed.oldPath(), renamed.nodePath());
                    case NodeMoved moved -> move(moved.oldPath(), moved.nodePath());
                    case NodeDeleted deleted -> NodePath.isValid(deleted.nodePath()) && !NodePath.of(deleted.nodePath()).isRoot()
                            ? grants.deleteSubtree(deleted.nodePath(), deleted.occurredAt()) : Mono.empty();
                    default -> Mono.empty();
                });
    }

    /** An entry whose paths are no tree paths cannot be applied, now or later: it is skipped (and logged), never retried forever. */
    private Mono<Void> move(String oldPath, String newPath) {
        if (!NodePath.isValid(oldPath) || !NodePath.isValid(newPath) || NodePath.of(oldPath).isRoot()) {
            log.warn("skipped a path change that names no movable tree paths: {} -> {}", abbreviate(oldPath), abbreviate(newPath));
            return Mono.empty();
        }
        return grants.movePaths(oldPath, newPath);
    }

    private static String abbreviate(String path) {
        return path == null || path.length() <= 80 ? path : path.substring(0, 80) + "…(" + path.length() + " characters)";
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.dispose();
        }
    }
}
