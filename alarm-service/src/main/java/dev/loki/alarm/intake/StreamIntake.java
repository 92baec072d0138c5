package dev.loki.alarm.intake;

import java.util.List;
import java.util.Map;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.alarm.alarm.AlarmService;
import dev.loki.alarm.alarm.Signal;
import dev.loki.events.AlertFired;
import dev.loki.events.AlertResolved;
import dev.loki.events.EventCodec;
import dev.loki.events.ServerDeleted;
import dev.loki.events.ServerStatusChanged;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import dev.loki.support.StreamConsumer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * What alarm-service must not miss, read from Redis Streams by the consumer group {@code alarm-service}
 * and acknowledged only once applied, so whatever arrives while it is down is applied when it starts:
 * monitor-service's alerts ({@code monitor.alerts}: fired → an alarm, resolved → the alarm resolved) and
 * asset-service's retirements ({@code asset.server-retirements}: a server deleted or set offline closes its
 * alarms). Each entry is applied once, however often it is delivered (its event id is recorded with the change).
 */
@Component
class StreamIntake implements SmartLifecycle {

    static final String GROUP = "alarm-service";

    private final ReactiveRedisConnectionFactory factory;
    private final ReactiveStringRedisTemplate redis;
    private final EventCodec codec;
    private final AlarmService alarms;
    private final String prefix;
    private final Disposable.Composite subscriptions = Disposables.composite();

    StreamIntake(ReactiveRedisConnectionFactory factory, ReactiveStringRedisTemplate redis, EventCodec codec, AlarmService alarms,
                 LokiProperties loki) {
        this.factory = factory;
        this.redis = redis;
        this.codec = codec;
        this.alarms = alarms;
        this.prefix = loki.redis().keyPrefix();
    }

    /** Started once every bean is ready (the schema migrated), stopped before the database goes away. */
    @Override
    public void start() {
        subscriptions.add(StreamConsumer.start(factory, redis, codec, prefix + Streams.MONITOR_ALERTS, GROUP, event -> switch (event) {
            case AlertFired fired -> alarms.applyOnce(fired.id(), signal(fired), null);
            case AlertResolved resolved -> alarms.applyOnce(resolved.id(), null, resolved.fingerprint());
            default -> Mono.empty();
        }));
        subscriptions.add(StreamConsumer.start(factory, redis, codec, prefix + Streams.ASSET_SERVER_RETIREMENTS, GROUP, event -> switch (event) {
            case ServerDeleted deleted -> alarms.retireOnce(deleted.id(), deleted.server().hostname(), deleted.occurredAt());
            case ServerStatusChanged changed when "offline".equals(changed.to()) ->
                    alarms.retireOnce(changed.id(), changed.hostname(), changed.occurredAt());
            default -> Mono.empty();
        }));
    }

    /** An alert rule's series as an alarm: on the rule's node, about the series' host when it has one. */
    static Signal signal(AlertFired fired) {
        Map<String, String> series = fired.series() == null ? Map.of() : fired.series();
        String host = series.get("host");
        String subject = series.isEmpty() ? "" : " on " + (host != null ? host : String.join(",", series.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        // a rule's no-data alert: its value is how long the host (or domain) has reported nothing
        String title = "no-data".equals(fired.comparator())
                ? fired.ruleName() + subject + ": no " + fired.metric() + " for " + number(fired.value()) + " s (at most " + number(fired.threshold())
                        + " s allowed)"
                : fired.ruleName() + subject + ": " + fired.metric() + " " + fired.comparator() + " " + number(fired.threshold())
                        + " (now " + number(fired.value()) + ")";
        return new Signal(fired.fingerprint(), fired.nodePath(), host, fired.ruleId(), fired.ruleName(),
                List.of("info", "warning", "critical").contains(fired.severity()) ? fired.severity() : "warning",
                title.length() > 300 ? title.substring(0, 300) : title, null, series, fired.source(), fired.occurredAt());
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public void stop() {
        subscriptions.dispose();
    }

    @Override
    public boolean isRunning() {
        return subscriptions.size() > 0 && !subscriptions.isDisposed();
    }
}
