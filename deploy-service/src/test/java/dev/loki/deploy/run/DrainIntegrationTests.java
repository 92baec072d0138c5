package dev.loki.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.loki.deploy.DeployIntegrationTest;
import dev.loki.deploy.DeployPlatform;

/**
 * Issue 12, item 7: a drain-aware template takes each host out of traffic through ptree-service (its
 * bindings {@code offline}, as dashboards and nginx templates see them) for exactly as long as its steps
 * run, puts it back after its health check, and leaves a failed host out, saying so.
 */
class DrainIntegrationTests extends DeployIntegrationTest {

    /** Each bound host of {@code nodePath} and whether ptree-service has it offline there. */
    private Map<String, Boolean> offline(String nodePath) {
        long node = ((Number) platform.call("GET", platform.ptree.baseUrl() + "/api/ptree/nodes?path=" + nodePath, null).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
        List<Map<String, Object>> bound = platform.call("GET", platform.ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers", null)
                .expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody().stream().map(m -> (Map<String, Object>) m).toList();
        Map<String, Boolean> out = new HashMap<>();
        bound.forEach(b -> out.put(b.get("hostname").toString(), (Boolean) b.get("offline")));
        return out;
    }

    private static Map<String, Object> host(Map<String, Object> deployment, String hostname) {
        List<Map<String, Object>> all = new ArrayList<>();
        ((List<Map<String, Object>>) deployment.get("batches")).forEach(b -> all.addAll((List<Map<String, Object>>) b.get("hosts")));
        return all.stream().filter(h -> hostname.equals(h.get("hostname"))).findFirst().orElseThrow();
    }

    @Test
    void eachHostIsOutOfTrafficWhileItsStepsRunAndAFailedOneStaysOut() throws Exception {
        String node = platform.fleetNode("drained", 28, 29);
        Map<String, Object> body = new HashMap<>(Map.of("name", "drained", "nodePath", node, "type", "script", "drain", true,
                "steps", List.of(Map.of("name", "wait", "command", "while [ ! -f go ]; do sleep 0.05; done; if [ -f fail ]; then exit 3; fi")),
                "healthCheck", Map.of("command", "true"), "batch", Map.of("size", 1)));
        long template = ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
        assertThat(offline(node)).containsEntry("drained-28", false).containsEntry("drained-29", false);

        Map<String, Object> started = start(Map.of("templateId", template, "version", "1"));
        long id = ((Number) started.get("id")).longValue();
        List<Map<String, Object>> batches = (List<Map<String, Object>>) started.get("batches");
        String first = ((List<Map<String, Object>>) batches.get(0).get("hosts")).getFirst().get("hostname").toString();
        String second = ((List<Map<String, Object>>) batches.get(1).get("hosts")).getFirst().get("hostname").toString();
        Files.writeString(platform.sandbox(second).resolve("fail"), "");

        // the first host waits in its step: out of traffic; the second, not started yet, still in
        Awaitility.await().atMost(RUN).until(() -> Boolean.TRUE.equals(host(deployment(id), first).get("drained")));
        assertThat(offline(node)).containsEntry(first, true).containsEntry(second, false);
        assertThat(host(deployment(id), first).get("status")).isEqualTo("running");

        Files.writeString(platform.sandbox(first).resolve("go"), "");
        Files.writeString(platform.sandbox(second).resolve("go"), "");
        Map<String, Object> paused = awaitStatus(id, "paused");
        assertThat(host(paused, first)).containsEntry("status", "succeeded").containsEntry("drained", false);
        assertThat(host(paused, second)).containsEntry("status", "failed").containsEntry("drained", true);
        assertThat(host(paused, second).get("reason").toString()).isEqualTo("step wait exited 3; left out of traffic (drained)");
        assertThat(offline(node)).containsEntry(first, false).containsEntry(second, true);

        // fixed, retried: it passes its health check and comes back
        Files.delete(platform.sandbox(second).resolve("fail"));
        platform.call("POST", url("/api/deploy/deployments/" + id + "/hosts/" + second + "/retry"), null).expectStatus().isOk();
        Map<String, Object> done = awaitStatus(id, "succeeded");
        assertThat(host(done, second)).containsEntry("status", "succeeded").containsEntry("drained", false);
        assertThat(offline(node)).containsEntry(first, false).containsEntry(second, false);
    }
}
