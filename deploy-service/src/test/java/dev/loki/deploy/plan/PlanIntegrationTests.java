package dev.loki.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.deploy.DeployIntegrationTest;
import dev.loki.deploy.DeployPlatform;
import dev.loki.testsupport.ServiceJar;

/**
 * Issue 12, item 2 against the real tree and inventory: a template's hosts are the servers bound below its
 * node (real ptree-, asset- and auth-service, ZooKeeper, MariaDB, Redis), minus drained bindings and
 * servers that are not online; the preview names what it left out. Also item 1: templates follow their
 * node's rename through ptree-service's path-change log.
 */
class PlanIntegrationTests extends DeployIntegrationTest {

    final WebTestClient http = DeployPlatform.client();
    final ServiceJar asset = platform.asset;
    final ServiceJar ptree = platform.ptree;
    final String admin = platform.admin();

    @Test
    void thePreviewBatchesTheNodesOnlineServersAndNamesWhatItLeftOut() {
        long shop = node("/", "shop");
        long web = node("/shop", "web");
        long api = node("/shop", "api");
        for (int i = 1; i <= 3; i++) {
            server("shop-a" + i, "dc-a", "10.61.0." + (10 + i), "online");
            server("shop-b" + i, "dc-b", "10.62.0." + (10 + i), "online");
        }
        server("shop-c1", "dc-a", "10.61.0.30", "maintenance");
        bind(web, "shop-a1", "shop-a2", "shop-b1", "shop-b2");
        bind(api, "shop-a3", "shop-b3", "shop-c1", "shop-b1");
        call("PATCH", ptree.baseUrl() + "/api/ptree/nodes/" + api + "/servers/shop-b3", Map.of("offline", true)).expectStatus().isOk();

        long template = template("/shop", Map.of("ramp", "1 100%", "perIdcConcurrency", 1));
        Map<String, Object> plan = plan(Map.of("templateId", template)).expectStatus().isOk().expectBody(DeployPlatform.JSON).returnResult().getResponseBody();

        assertThat(plan.get("revision")).isEqualTo(1);
        assertThat(batches(plan)).containsExactly(List.of("shop-a1"), List.of("shop-a2", "shop-b1"), List.of("shop-a3", "shop-b2"));
        assertThat((List<Map<String, Object>>) plan.get("excluded")).containsExactlyInAnyOrder(
                Map.of("hostname", "shop-b3", "reason", "offline"), Map.of("hostname", "shop-c1", "reason", "status maintenance"));

        // asked for: servers that are not online; or an explicit subset, taken as given
        assertThat(batches(plan(Map.of("templateId", template, "includeNotOnline", true)).expectStatus().isOk().expectBody(DeployPlatform.JSON)
                .returnResult().getResponseBody()).stream().flatMap(List::stream)).contains("shop-c1").doesNotContain("shop-b3");
        assertThat(batches(plan(Map.of("templateId", template, "hosts", List.of("shop-b3", "shop-a1"))).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody())).containsExactly(List.of("shop-a1"), List.of("shop-b3"));

        // a host that is not the node's, an unknown template → 400 naming the field
        plan(Map.of("templateId", template, "hosts", List.of("shop-a1", "elsewhere-1"))).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.errors[0].field").isEqualTo("hosts[1]");
        plan(Map.of("templateId", 999_999)).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("templateId");
        plan(Map.of("templateId", template, "hosts", List.of())).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("hosts");
        plan(Map.of("templateId", -1)).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("templateId");
        assertThat(shop).isPositive();
    }

    @Test
    void aHostCarryingMoreTrafficThanMayBeOutMakesThePlanImpossible() {
        long node = node("/", "heavy");
        server("heavy-1", "dc-a", "10.61.0.101", "online");
        server("heavy-2", "dc-b", "10.62.0.101", "online");
        bind(node, "heavy-1", "heavy-2");
        call("PATCH", ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers/heavy-1", Map.of("trafficRatio", 0.75)).expectStatus().isOk();
        call("PATCH", ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers/heavy-2", Map.of("trafficRatio", 0.25)).expectStatus().isOk();
        long template = template("/heavy", Map.of("size", 2, "maxUnavailable", "50%"));
        plan(Map.of("templateId", template)).expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/plan-impossible")
                .jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("heavy-1 alone carries 75.0%"));
    }

    @Test
    void item1_templatesFollowTheirNodesRename() {
        long node = node("/", "renamed-before");
        long template = template("/renamed-before", Map.of("size", 1));
        call("PATCH", ptree.baseUrl() + "/api/ptree/nodes/" + node, Map.of("name", "renamed-after")).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> http.get().uri("http://127.0.0.1:" + port + "/api/deploy/templates/" + template)
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.nodePath").isEqualTo("/renamed-after"));
    }

    private static List<List<String>> batches(Map<String, Object> plan) {
        return ((List<Map<String, Object>>) plan.get("batches")).stream()
                .map(b -> ((List<Map<String, Object>>) b.get("hosts")).stream().map(h -> h.get("hostname").toString()).toList()).toList();
    }

    private WebTestClient.ResponseSpec plan(Map<String, Object> body) {
        return call("POST", "http://127.0.0.1:" + port + "/api/deploy/plans", body);
    }

    private long template(String nodePath, Map<String, Object> batch) {
        return ((Number) call("POST", "http://127.0.0.1:" + port + "/api/deploy/templates", Map.of("name", "release", "nodePath", nodePath,
                "type", "script", "steps", List.of(Map.of("name", "run", "command", "true")), "batch", batch))
                .expectStatus().isCreated().expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
    }

    private long node(String parentPath, String name) {
        return platform.node(parentPath, name);
    }

    private void server(String hostname, String idc, String ip, String status) {
        platform.server(hostname, idc, ip, status);
    }

    private void bind(long node, String... hostnames) {
        platform.bind(node, hostnames);
    }

    private WebTestClient.ResponseSpec call(String method, String uri, Object body) {
        return platform.call(method, uri, body);
    }
}
