package dev.loki.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.loki.deploy.DeployIntegrationTest;
import dev.loki.deploy.DeployPlatform;
import dev.loki.events.DeployMutes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, item 4, deploy-service's half: while a batch runs, its hosts carry alarm-service's mute (a Redis
 * key with a short time to live, renewed); once the batch is done the mutes are no longer renewed and lapse.
 */
class BatchMutesIntegrationTests extends DeployIntegrationTest {

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void theHostsOfTheRunningBatchAreMutedAndTheMuteLapsesAfterTheBatch() throws Exception {
        String node = platform.fleetNode("muted", 31, 32);
        Map<String, Object> body = new HashMap<>(Map.of("name", "muted", "nodePath", node, "type", "script",
                "steps", List.of(Map.of("name", "wait", "command", "while [ ! -f go ]; do sleep 0.05; done")),
                "batch", Map.of("size", 2)));
        long template = ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
        long id = ((Number) start(Map.of("templateId", template, "version", "7.1")).get("id")).longValue();

        String key = DeployMutes.key(platform.prefix, "muted-31");
        Awaitility.await().atMost(RUN).until(() -> redis.opsForValue().get(key).blockOptional(Duration.ofSeconds(5)).isPresent());
        DeployMutes.Mute mute = JsonMapper.builder().build().readValue(redis.opsForValue().get(key).block(Duration.ofSeconds(5)),
                DeployMutes.Mute.class);
        assertThat(mute).isEqualTo(new DeployMutes.Mute(id, template, "7.1", node, 0));
        assertThat(redis.getExpire(key).block(Duration.ofSeconds(5))).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(DeployMutes.TTL_SECONDS));
        assertThat(redis.hasKey(DeployMutes.key(platform.prefix, "muted-32")).block(Duration.ofSeconds(5))).isTrue();

        Files.writeString(platform.sandbox("muted-31").resolve("go"), "");
        Files.writeString(platform.sandbox("muted-32").resolve("go"), "");
        awaitStatus(id, "succeeded");
        // no longer renewed: gone within its time to live
        Awaitility.await().atMost(Duration.ofSeconds(DeployMutes.TTL_SECONDS + 10)).pollInterval(Duration.ofMillis(500))
                .until(() -> !redis.hasKey(key).block(Duration.ofSeconds(5)));
    }
}
