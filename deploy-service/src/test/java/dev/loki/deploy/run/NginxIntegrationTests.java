package dev.loki.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.loki.deploy.DeployIntegrationTest;
import dev.loki.deploy.DeployPlatform;
import dev.loki.devstack.Fleet;

/**
 * Issue 12, item 1 ({@code nginx}): a load balancer's upstream block is rendered from another node's
 * servers and traffic ratios (drained and not-online servers {@code down}), previewed with the plan,
 * written on the balancer host, tested and reloaded; a config that fails its test is taken back.
 */
class NginxIntegrationTests extends DeployIntegrationTest {

    @Test
    void theUpstreamFollowsTheTreesRatiosAndAFailedTestPutsThePreviousConfigBack() throws Exception {
        // the application: three servers (never reached: only their addresses go into the block)
        long app = platform.node("/", "ngxapp");
        platform.server("ngxapp-1", "dc-a", "10.61.0.211", "online");
        platform.server("ngxapp-2", "dc-a", "10.61.0.212", "online");
        platform.server("ngxapp-3", "dc-b", "10.62.0.213", "online");
        platform.server("ngxapp-4", "dc-b", "10.62.0.214", "maintenance");
        platform.bind(app, "ngxapp-1", "ngxapp-2", "ngxapp-3", "ngxapp-4");
        for (Object[] b : new Object[][] {{"ngxapp-1", Map.of("trafficRatio", 0.6)}, {"ngxapp-2", Map.of("trafficRatio", 0.4)},
                {"ngxapp-3", Map.of("trafficRatio", 0.0, "offline", true)}}) {
            platform.call("PATCH", platform.ptree.baseUrl() + "/api/ptree/nodes/" + app + "/servers/" + b[0], b[1]).expectStatus().isOk();
        }
        // the balancer: one fleet host
        String lb = platform.fleetNode("ngxlb", 30, 30);
        Path sandbox = platform.fleet.sandbox(Fleet.address(29));
        Map<String, Object> nginx = new HashMap<>(Map.of("upstream", "app", "configPath", "~/nginx/conf.d/app.conf", "port", 8080,
                "upstreamNode", "/ngxapp", "testCommand", "grep -q 'upstream app' \"$HOME/nginx/conf.d/app.conf\"",
                "reloadCommand", "echo reloaded >> reloads"));
        Map<String, Object> body = new HashMap<>(Map.of("name", "balancer", "nodePath", lb, "type", "nginx", "nginx", nginx));
        long template = ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();

        String expected = """
                # rendered by Loki from the servers of /ngxapp
                upstream app {
                    server 10.61.0.211:8080 weight=60;  # ngxapp-1
                    server 10.61.0.212:8080 weight=40;  # ngxapp-2
                    server 10.62.0.213:8080 down;  # ngxapp-3
                    server 10.62.0.214:8080 down;  # ngxapp-4
                }
                """;
        Map<String, Object> preview = platform.call("POST", url("/api/deploy/plans"), Map.of("templateId", template)).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
        assertThat(preview.get("upstream")).isEqualTo(expected);

        long first = ((Number) start(Map.of("templateId", template, "version", "1")).get("id")).longValue();
        Map<String, Object> done = awaitStatus(first, "succeeded");
        assertThat(done.get("upstream")).isEqualTo(expected);
        assertThat(Files.readString(sandbox.resolve("nginx/conf.d/app.conf"))).isEqualTo(expected);
        assertThat(Files.readAllLines(sandbox.resolve("reloads"))).containsExactly("reloaded");

        // the tree changes: the next deployment renders it anew; a test that fails puts the previous file back, no reload
        platform.call("PATCH", platform.ptree.baseUrl() + "/api/ptree/nodes/" + app + "/servers/ngxapp-3", Map.of("offline", false, "trafficRatio", 0.0))
                .expectStatus().isOk();
        platform.call("PATCH", platform.ptree.baseUrl() + "/api/ptree/nodes/" + app + "/servers/ngxapp-2", Map.of("trafficRatio", 0.2))
                .expectStatus().isOk();
        platform.call("PATCH", platform.ptree.baseUrl() + "/api/ptree/nodes/" + app + "/servers/ngxapp-3", Map.of("trafficRatio", 0.2))
                .expectStatus().isOk();
        nginx.put("testCommand", "false");
        platform.call("PUT", url("/api/deploy/templates/" + template), body).expectStatus().isOk();
        long second = ((Number) start(Map.of("templateId", template, "version", "2")).get("id")).longValue();
        Map<String, Object> paused = awaitStatus(second, "paused");
        assertThat(paused.get("upstream").toString()).contains("server 10.61.0.212:8080 weight=20;", "server 10.62.0.213:8080 weight=20;");
        Map<String, Object> host = ((List<Map<String, Object>>) ((List<Map<String, Object>>) paused.get("batches")).getFirst().get("hosts")).getFirst();
        assertThat(host).containsEntry("status", "failed").containsEntry("stepName", "test config");
        assertThat(Files.readString(sandbox.resolve("nginx/conf.d/app.conf"))).isEqualTo(expected);
        assertThat(Files.readAllLines(sandbox.resolve("reloads"))).containsExactly("reloaded");
    }
}
