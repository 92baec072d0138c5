package dev.loki.deploy.run;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.DeployMutes;
import dev.loki.support.LokiProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds alarm-service's mutes ({@link DeployMutes}) on the hosts of a batch while the batch runs here: written
 * at once and every few seconds with a short time to live, so they lapse by themselves soon after the batch
 * is done or this replica dies. Redis failing only costs the mute (an alarm is then sent, never lost); the
 * deployment goes on.
 */
@Component
class BatchMutes {

    private static final Logger log = LoggerFactory.getLogger(BatchMutes.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final JsonMapper json = JsonMapper.builder().build();

    BatchMutes(ReactiveStringRedisTemplate redis, LokiProperties loki) {
        this.redis = redis;
        this.prefix = loki.redis().keyPrefix();
    }

    /** Mutes {@code hostnames} for {@code d}'s current batch until the answer is disposed (then they lapse). */
    Disposable hold(DeploymentRepository.Row d, List<String> hostnames) {
        if (hostnames.isEmpty()) {
            return () -> { };
        }
        String value = json.writeValueAsString(new DeployMutes.Mute(d.id(), d.templateId(), d.version(), d.nodePath(), d.currentBatch()));
        Duration ttl = Duration.ofSeconds(DeployMutes.TTL_SECONDS);
        return Flux.interval(Duration.ZERO, Duration.ofSeconds(DeployMutes.RENEW_SECONDS))
                .onBackpressureDrop()
                .concatMap(tick -> Flux.fromIterable(hostnames)
                        .flatMap(host -> redis.opsForValue().set(DeployMutes.key(prefix, host), value, ttl), 16)
                        .then()
                        .timeout(Duration.ofSeconds(3))
                        .onErrorResume(e -> {
                            log.warn("deployment {}: alarm mutes of batch {} not renewed: {}", d.id(), d.currentBatch() + 1, e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }
}
