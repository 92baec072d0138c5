package dev.loki.ptree.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.Streams;
import dev.loki.ptree.PtreeTestBase;

/**
 * Retired servers (deleted, or offline) lose their bindings through a Redis Stream: a retirement that
 * happens while ptree-service is not listening is applied when it listens again.
 */
class RetirementIntegrationTests extends PtreeTestBase {

    @Autowired
    AssetEventsListener listener;

    @Test
    void retirementsMissedWhileNotListeningAreAppliedOnStart() throws InterruptedException {
        long node = create("/", "retire");
        WebTestClient assets = client(asset.baseUrl());
        Map<String, Number> ids = new java.util.HashMap<>();
        for (String h : List.of("r-web1", "r-web2", "r-web3")) {
            Map<?, ?> created = assets.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostname", h, "sn", "SN-" + h)).exchange()
                    .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            ids.put(h, (Number) created.get("id"));
        }
        http.post().uri("/api/ptree/nodes/" + node + "/servers").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostnames", List.of("r-web1", "r-web2", "r-web3")))
                .exchange().expectStatus().isCreated();

        listener.destroy();
        Thread.sleep(1500); // the stopped consumer's last blocking read (1 s) has ended
        assets.delete().uri("/api/asset/servers/" + ids.get("r-web1")).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();
        assets.patch().uri("/api/asset/servers/" + ids.get("r-web2")).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "offline")).exchange().expectStatus().isOk();
        Thread.sleep(1500);
        assertThat(bound(node)).as("nothing applied while not listening").containsExactlyInAnyOrder("r-web1", "r-web2", "r-web3");

        listener.afterPropertiesSet();
        long deadline = System.currentTimeMillis() + 15_000;
        List<String> left = bound(node);
        while (left.size() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            left = bound(node);
        }
        assertThat(left).as("the deleted and the offline server are unbound; the other stays").containsExactly("r-web3");

        // a new server named like the deleted one is bound; the old deletion, delivered again, leaves it bound
        assets.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("hostname", "r-web1", "sn", "SN-r-web1-new")).exchange().expectStatus().isCreated();
        http.post().uri("/api/ptree/nodes/" + node + "/servers").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostnames", List.of("r-web1"))).exchange().expectStatus().isCreated();
        ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(redis);
        String stream = redisPrefix + Streams.ASSET_SERVER_RETIREMENTS;
        String oldDeletion = template.opsForStream().range(stream, Range.unbounded()).map(r -> String.valueOf(r.getValue().get("event")))
                .filter(json -> json.contains("\"server-deleted\"") && json.contains("\"r-web1\"")).blockFirst(Duration.ofSeconds(5));
        assertThat(oldDeletion).isNotNull();
        template.opsForStream().add(StreamRecords.string(Map.of("event", oldDeletion)).withStreamKey(stream)).block(Duration.ofSeconds(5));
        // then a real retirement: once it is applied, the replay before it was too (one consumer, in order)
        assets.delete().uri("/api/asset/servers/" + ids.get("r-web3")).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();
        deadline = System.currentTimeMillis() + 15_000;
        left = bound(node);
        while (left.contains("r-web3") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            left = bound(node);
        }
        assertThat(left).as("the new r-web1 stays bound; r-web3 is gone").containsExactly("r-web1");
    }

    private List<String> bound(long node) {
        List<Map<String, Object>> servers = http.get().uri("/api/ptree/nodes/" + node + "/servers").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        return servers.stream().map(s -> (String) s.get("hostname")).toList();
    }
}
