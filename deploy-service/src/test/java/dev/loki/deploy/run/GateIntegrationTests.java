package dev.loki.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.MediaType;

import dev.loki.deploy.DeployIntegrationTest;
import dev.loki.deploy.DeployPlatform;
import dev.loki.events.DeploymentGateFailed;
import dev.loki.events.DeploymentResumed;
import dev.loki.events.EventType;
import dev.loki.events.LokiEvent;
import dev.loki.testsupport.EventRecorder;
import dev.loki.testsupport.ServiceJar;

/**
 * Issue 12, item 6: the availability gate reads the node's availability over each batch's bake window
 * from a real monitor-service (on a real OpenTSDB, fed through monitor's own put endpoint) and pauses
 * the run when it is below the template's threshold, or when there is no figure at all.
 */
class GateIntegrationTests extends DeployIntegrationTest {

    @Autowired
    ReactiveRedisConnectionFactory redis;

    /** A node's URL, bound through ptree-service so that monitor-service counts its requests for the node. */
    private String bindUrl(String nodePath, String domain) {
        long node = ((Number) platform.call("GET", platform.ptree.baseUrl() + "/api/ptree/nodes?path=" + nodePath, null).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
        platform.call("POST", platform.ptree.baseUrl() + "/api/ptree/nodes/" + node + "/urls", Map.of("domain", domain, "path", "/"))
                .expectStatus().isCreated();
        return domain;
    }

    /** Requests to {@code domain} with {@code status} ({@code 2xx}, {@code 5xx}), counted at {@code epochSeconds}. */
    private void requests(ServiceJar monitor, String domain, String status, long epochSeconds, int count) {
        DeployPlatform.client().post().uri(monitor.baseUrl() + "/api/monitor/put?sync").header("Authorization", "Bearer " + platform.admin())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(List.of(Map.of("metric", "url.requests", "timestamp", epochSeconds, "value", count,
                        "tags", Map.of("domain", domain, "path", "/", "status", status))))
                .exchange().expectStatus().isOk();
    }

    /** A two-batch script template on {@code nodePath} whose gate wants {@code minAvailability} % after a 2 s bake. */
    private long gatedTemplate(String nodePath, double minAvailability) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "gated", "nodePath", nodePath, "type", "script",
                "steps", List.of(Map.of("name", "mark", "command", "echo ran >> gated.ran")), "batch", Map.of("size", 1),
                "gate", Map.of("minAvailability", minAvailability, "bakeSeconds", 2)));
        return ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
    }

    /** The sandbox of fleet host {@code <name>-<n>}. */
    private static List<Map<String, Object>> batchHosts(Map<String, Object> deployment, int batch) {
        return (List<Map<String, Object>>) ((List<Map<String, Object>>) deployment.get("batches")).get(batch).get("hosts");
    }

    @Test
    void aBatchBelowTheThresholdPausesTheRunUntilResumedWithANote() throws Exception {
        ServiceJar monitor = platform.monitor();
        String node = platform.fleetNode("gatelow", 24, 25);
        String domain = bindUrl(node, "gatelow.example.com");
        long now = System.currentTimeMillis() / 1000;
        // 90 % of the counted requests succeeded (4xx are not counted against the node)
        requests(monitor, domain, "2xx", now - 5, 90);
        requests(monitor, domain, "5xx", now - 5, 10);
        requests(monitor, domain, "4xx", now - 5, 500);
        long template = gatedTemplate(node, 99);

        long id;
        List<LokiEvent> published;
        try (EventRecorder recorder = EventRecorder.listen(redis, EventType.DEPLOYMENT_GATE_FAILED)) {
            id = ((Number) start(Map.of("templateId", template, "version", "1")).get("id")).longValue();
            published = recorder.await(1, RUN);
        }
        Map<String, Object> paused = awaitStatus(id, "paused");
        assertThat(paused.get("reason").toString()).startsWith("gate-failed: availability 90.00% < 99.00% after batch 1 of 2");
        assertThat(paused).doesNotContainKey("gate");
        assertThat(batchHosts(paused, 0)).extracting(h -> h.get("status")).containsExactly("succeeded");
        assertThat(batchHosts(paused, 1)).extracting(h -> h.get("status")).containsExactly("pending");
        DeploymentGateFailed failed = (DeploymentGateFailed) published.getFirst();
        assertThat(failed.deploymentId()).isEqualTo(id);
        assertThat(failed.outcome()).isEqualTo("failed");
        assertThat(failed.batch()).isZero();
        assertThat(failed.availability()).isEqualTo(90.0);
        assertThat(failed.minAvailability()).isEqualTo(99.0);
        assertThat(Duration.between(failed.windowStart(), failed.windowEnd())).isEqualTo(Driver.MIN_GATE_WINDOW);

        // past a failed gate, only a resume that says why goes on; nothing changes without one
        platform.call("POST", url("/api/deploy/deployments/" + id + "/resume"), Map.of()).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.errors[0].field").isEqualTo("note");
        platform.call("POST", url("/api/deploy/deployments/" + id + "/resume"), Map.of("note", 42)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("note");
        platform.call("POST", url("/api/deploy/deployments/" + id + "/resume"), Map.of("note", "x".repeat(501))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("note");
        // a retry does not slip past the gate either: there is no failed host to retry
        platform.call("POST", url("/api/deploy/deployments/" + id + "/hosts/gatelow-25/retry"), null).expectStatus().isEqualTo(409);
        assertThat(deployment(id).get("status")).isEqualTo("paused");

        // the errors came from a load test: the next bake window is healthy, and the run finishes
        requests(monitor, domain, "2xx", System.currentTimeMillis() / 1000, 100_000);
        DeploymentResumed resumed;
        try (EventRecorder recorder = EventRecorder.listen(redis, EventType.DEPLOYMENT_RESUMED)) {
            platform.call("POST", url("/api/deploy/deployments/" + id + "/resume"), Map.of("note", "the 5xx came from a load test"))
                    .expectStatus().isOk();
            resumed = (DeploymentResumed) recorder.await(1, RUN).getFirst();
        }
        assertThat(resumed.note()).isEqualTo("the 5xx came from a load test");
        assertThat(resumed.by()).isEqualTo("user:admin");
        awaitStatus(id, "succeeded");
        for (Map<String, Object> host : batchHosts(deployment(id), 0)) {
            assertThat(platform.sandbox(host.get("hostname").toString()).resolve("gated.ran")).hasContent("ran");
        }
        for (Map<String, Object> host : batchHosts(deployment(id), 1)) {
            assertThat(platform.sandbox(host.get("hostname").toString()).resolve("gated.ran")).hasContent("ran");
        }

        // who resumed it, when and why, is in its history
        List<Map<String, Object>> history = DeployPlatform.client().get().uri(url("/api/deploy/deployments/" + id + "/events"))
                .header("Authorization", "Bearer " + platform.admin()).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(DeployPlatform.JSON).getResponseBody().take(Duration.ofSeconds(10))
                .filter(e -> !e.containsKey("hostname")).collectList().block(Duration.ofSeconds(15));
        assertThat(history).anySatisfy(e -> {
            assertThat(e.get("status")).isEqualTo("running");
            assertThat(e.get("reason")).isEqualTo("resumed by user:admin: the 5xx came from a load test");
            assertThat(e.get("at")).isNotNull();
        });
    }

    @Test
    void noRequestsInTheBakeWindowIsNeverAPass() {
        platform.monitor();
        String node = platform.fleetNode("gatequiet", 26, 27);
        bindUrl(node, "gatequiet.example.com");
        long template = gatedTemplate(node, 50);

        long id = ((Number) start(Map.of("templateId", template, "version", "1")).get("id")).longValue();
        Map<String, Object> paused = awaitStatus(id, "paused");
        assertThat(paused.get("reason").toString()).startsWith("gate-inconclusive: no requests to the node's URLs after batch 1 of 2");
        assertThat(batchHosts(paused, 1)).extracting(h -> h.get("status")).containsExactly("pending");

        // a cancel needs no note
        platform.call("POST", url("/api/deploy/deployments/" + id + "/cancel"), null).expectStatus().isOk();
        Awaitility.await().atMost(RUN).until(() -> "cancelled".equals(deployment(id).get("status")));
        assertThat(platform.sandbox(batchHosts(paused, 0).getFirst().get("hostname").toString()).resolve("gated.ran")).hasContent("ran");
        assertThat(platform.sandbox(batchHosts(paused, 1).getFirst().get("hostname").toString()).resolve("gated.ran")).doesNotExist();
    }
}
