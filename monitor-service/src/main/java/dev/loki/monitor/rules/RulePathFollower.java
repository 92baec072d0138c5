package dev.loki.monitor.rules;

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

import dev.loki.events.EventCodec;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodePath;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.ChangeLogFollower;
import dev.loki.support.InternalCalls;
import dev.loki.support.LokiProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Alert rules are keyed by node path: they follow their node when ptree-service renames or moves it,
 * and go with it when it is deleted (a node re-created at the path later has no rules). Read from
 * ptree-service's path-change log, in order and each once (see {@link ChangeLogFollower}); the
 * {@code ptree.path-changes} stream only says when to look.
 */
@Component
class RulePathFollower implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RulePathFollower.class);

    private final ReactiveRedisConnectionFactory redis;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final RuleRepository rules;
    private final EventCodec codec;
    private final WebClient ptree;
    private final String stream;
    private final Duration pollInterval;
    private Disposable subscription;

    RulePathFollower(ReactiveRedisConnectionFactory redis, DatabaseClient db, ReactiveTransactionManager transactions, RuleRepository rules,
                     EventCodec codec, WebClient.Builder web, InternalCalls internal, MonitorProperties monitor, LokiProperties properties,
                     @Value("${loki.path-changes.poll-interval:5s}") Duration pollInterval) {
        this.redis = redis;
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
        this.rules = rules;
        this.codec = codec;
        this.ptree = internal.authenticate(web).baseUrl(monitor.ptreeUri().toString()).build();
        this.stream = properties.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
        this.pollInterval = pollInterval;
    }

    /** Once the application is ready (its schema migrated): catching up needs the position table. */
    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        subscription = ChangeLogFollower.start(Streams.PTREE_PATH_CHANGES, ptree, "/internal/ptree/path-changes", stream, pollInterval,
                redis, db, tx, codec, event -> switch (event) {
                    case NodeRenamed renamed -> movable(renamed.oldPath(), renamed.nodePath()) ? rules.movePaths(renamed.oldPath(), renamed.nodePath()) : Mono.empty();
                    case NodeMoved moved -> movable(moved.oldPath(), moved.nodePath()) ? rules.movePaths(moved.oldPath(), moved.nodePath()) : Mono.empty();
                    case NodeDeleted deleted -> movable(deleted.nodePath(), "/") ? rules.deleteSubtree(deleted.nodePath(), deleted.occurredAt()) : Mono.empty();
                    default -> Mono.empty();
                });
    }

    /** An entry naming no tree paths (or the root) cannot apply, now or later: skipped and logged, never retried forever. */
    private static boolean movable(String from, String to) {
        boolean ok = NodePath.isValid(from) && NodePath.isValid(to) && !NodePath.of(from).isRoot();
        if (!ok) {
            log.warn("skipped a path change that names no movable tree path ({} characters)", from == null ? 0 : from.length());
        }
        return ok;
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.dispose();
        }
    }
}
