package dev.loki.monitor.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.EventCodec;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodePath;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import dev.loki.support.StreamConsumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Alert rules are keyed by node path: they follow their node when ptree-service renames or moves it,
 * and go with it when it is deleted (a node re-created at the path later has no rules). Read from the
 * {@code ptree.path-changes} stream as the consumer group {@code monitor-service}, acknowledged once
 * applied, so nothing is missed while monitor-service is down. Applying is idempotent.
 */
@Component
class RulePathFollower implements InitializingBean, DisposableBean {

    static final String GROUP = "monitor-service";
    private static final Logger log = LoggerFactory.getLogger(RulePathFollower.class);

    private final ReactiveRedisConnectionFactory factory;
    private final ReactiveStringRedisTemplate redis;
    private final RuleRepository rules;
    private final EventCodec codec;
    private final String stream;
    private Disposable subscription;

    RulePathFollower(ReactiveRedisConnectionFactory factory, ReactiveStringRedisTemplate redis, RuleRepository rules, EventCodec codec,
                     LokiProperties properties) {
        this.factory = factory;
        this.redis = redis;
        this.rules = rules;
        this.codec = codec;
        this.stream = properties.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
    }

    @Override
    public void afterPropertiesSet() {
        subscription = StreamConsumer.start(factory, redis, codec, stream, GROUP, event -> switch (event) {
            case NodeRenamed renamed -> movable(renamed.oldPath(), renamed.nodePath()) ? rules.movePaths(renamed.oldPath(), renamed.nodePath()) : Mono.empty();
            case NodeMoved moved -> movable(moved.oldPath(), moved.nodePath()) ? rules.movePaths(moved.oldPath(), moved.nodePath()) : Mono.empty();
            case NodeDeleted deleted -> movable(deleted.nodePath(), "/") ? rules.deleteSubtree(deleted.nodePath(), deleted.occurredAt()) : Mono.empty();
            default -> Mono.empty();
        });
    }

    /** An entry naming no tree paths (or the root) cannot apply, now or later: dropped and logged, never retried forever. */
    private static boolean movable(String from, String to) {
        boolean ok = NodePath.isValid(from) && NodePath.isValid(to) && !NodePath.of(from).isRoot();
        if (!ok) {
            log.warn("dropped a path change that names no movable tree path ({} characters)", from == null ? 0 : from.length());
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
