package dev.loki.support;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.events.EventCodec;
import dev.loki.events.InternalApi;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodePath;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Follows ptree-service's path-change log for a service's {@link PathChangeHandler} with a
 * {@link ChangeLogFollower}: the log is the authority, the {@code ptree.path-changes} stream only says
 * when to look (and the log is polled every {@code loki.path-changes.poll-interval}, 5 s), so an entry
 * someone appended to the stream by hand moves nothing. Starts once the application is ready (its
 * schema migrated: the position lives in {@code change_log_positions}). An entry that names no movable
 * tree path (not a path, or the root) cannot apply, now or later: it is skipped and logged, never
 * retried for ever.
 */
public final class PathChangeFollowing implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PathChangeFollowing.class);

    private final PathChangeHandler handler;
    private final ReactiveRedisConnectionFactory redis;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final EventCodec codec;
    private final WebClient ptree;
    private final String stream;
    private final Duration pollInterval;
    private Disposable subscription;

    PathChangeFollowing(PathChangeHandler handler, ReactiveRedisConnectionFactory redis, DatabaseClient db,
                        ReactiveTransactionManager transactions, EventCodec codec, WebClient.Builder web, InternalCalls internal,
                        LokiProperties properties, Duration pollInterval) {
        this.handler = handler;
        this.redis = redis;
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
        this.codec = codec;
        this.ptree = internal.authenticate(web.clone()).baseUrl(handler.ptreeUri().toString()).build();
        this.stream = properties.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
        this.pollInterval = pollInterval;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        subscription = ChangeLogFollower.start(Streams.PTREE_PATH_CHANGES, ptree, InternalApi.PATH_CHANGES, stream, pollInterval,
                redis, db, tx, codec, event -> switch (event) {
                    case NodeRenamed renamed -> moved(renamed.oldPath(), renamed.nodePath());
                    case NodeMoved moved -> moved(moved.oldPath(), moved.nodePath());
                    case NodeDeleted deleted -> movable(deleted.nodePath(), "/")
                            ? handler.deleted(NodePath.of(deleted.nodePath()), deleted.occurredAt()) : Mono.empty();
                    default -> Mono.empty();
                });
    }

    private Mono<Void> moved(String from, String to) {
        return movable(from, to) ? handler.moved(NodePath.of(from), NodePath.of(to)) : Mono.empty();
    }

    private static boolean movable(String from, String to) {
        boolean ok = NodePath.isValid(from) && NodePath.isValid(to) && !NodePath.of(from).isRoot();
        if (!ok) {
            log.warn("skipped a path change that names no movable tree paths: {} -> {}", abbreviate(from), abbreviate(to));
        }
        return ok;
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
