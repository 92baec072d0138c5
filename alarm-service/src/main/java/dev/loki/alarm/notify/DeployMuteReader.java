package dev.loki.alarm.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.DeployMutes;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the mutes deploy-service holds on the hosts of running batches ({@link DeployMutes}). When Redis
 * cannot be asked, no host counts as muted: an alarm is sent rather than lost.
 */
@Component
class DeployMuteReader {

    private static final Logger log = LoggerFactory.getLogger(DeployMuteReader.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final JsonMapper json = JsonMapper.builder().build();

    DeployMuteReader(ReactiveStringRedisTemplate redis, LokiProperties loki) {
        this.redis = redis;
        this.prefix = loki.redis().keyPrefix();
    }

    /** The mutes on {@code hostnames} now, by hostname. */
    Mono<Map<String, DeployMutes.Mute>> mutes(Collection<String> hostnames) {
        if (hostnames.isEmpty()) {
            return Mono.just(Map.of());
        }
        List<String> hosts = List.copyOf(hostnames);
        return redis.opsForValue().multiGet(hosts.stream().map(h -> DeployMutes.key(prefix, h)).toList())
                .timeout(Duration.ofSeconds(2))
                .map(values -> {
                    Map<String, DeployMutes.Mute> muted = new HashMap<>();
                    for (int i = 0; i < hosts.size() && i < values.size(); i++) {
                        String value = values.get(i);
                        if (value != null) {
                            try {
                                muted.put(hosts.get(i), json.readValue(value, DeployMutes.Mute.class));
                            } catch (RuntimeException e) {
                                log.warn("the deploy mute of {} is not readable; it does not count", hosts.get(i));
                            }
                        }
                    }
                    return muted;
                })
                .onErrorResume(e -> {
                    log.warn("deploy mutes cannot be read ({}); no host counts as muted", e.toString());
                    return Mono.just(Map.of());
                });
    }
}
