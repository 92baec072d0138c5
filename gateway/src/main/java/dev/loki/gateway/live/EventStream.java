package dev.loki.gateway.live;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.loki.events.EventType;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code loki.*} event, from one Redis pattern subscription per gateway shared by all live
 * browsers. When Redis goes away the subscription is made again (backing off up to 10 s); browsers
 * stay connected meanwhile and keep receiving heartbeats.
 */
@Component
public class EventStream implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    /**
     * One event as it travels: its type, id, node path (and old path for renames/moves), the subject or
     * user it concerns when it names one ({@code subject}, {@code username}), whether it says a user is
     * no longer {@code enabled}, and its JSON.
     */
    public record Event(String type, String id, String nodePath, String oldPath, String subject, String username,
                        boolean disabled, Instant occurredAt, String json) {

        /** The user whose sessions this event ends (deleted, or updated to disabled), or null. */
        public String endedUser() {
            boolean ends = EventType.USER_DELETED.wireName().equals(type) || (EventType.USER_UPDATED.wireName().equals(type) && disabled);
            return ends ? username : null;
        }
    }

    private final ReactiveRedisConnectionFactory redis;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Flux<Event> events;
    private volatile ReactiveRedisMessageListenerContainer container;

    EventStream(ReactiveRedisConnectionFactory redis) {
        this.redis = redis;
        this.events = Flux.defer(() -> {
                    ReactiveRedisMessageListenerContainer fresh = new ReactiveRedisMessageListenerContainer(redis);
                    ReactiveRedisMessageListenerContainer old = container;
                    container = fresh;
                    if (old != null) {
                        old.destroyLater().subscribe();
                    }
                    return fresh.receive(PatternTopic.of(EventType.ALL_PATTERN));
                })
                .map(message -> parse(message.getMessage()))
                .filter(e -> e.type() != null)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(s -> log.warn("event stream from Redis lost ({}); subscribing again", s.failure().toString())))
                .publish()
                .refCount(1, Duration.ofSeconds(30));
    }

    /** All events, while at least one subscriber listens. */
    public Flux<Event> events() {
        return events;
    }

    private Event parse(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            JsonNode enabled = node.get("enabled");
            return new Event(text(node, "type"), text(node, "id"), text(node, "nodePath"), text(node, "oldPath"), text(node, "subject"),
                    text(node, "username"), enabled != null && enabled.isBoolean() && !enabled.asBoolean(), instant(text(node, "occurredAt")), json);
        } catch (RuntimeException e) {
            return new Event(null, null, null, null, null, null, false, null, json);
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    @Override
    public void destroy() {
        ReactiveRedisMessageListenerContainer current = container;
        if (current != null) {
            current.destroy();
        }
    }
}
