package dev.loki.ptree.binding;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.ptree.PtreeTestBase;

/** Issue 11, item 4: binding a server needs rights where it serves now, not only where it goes. */
class BindingAuthorityIntegrationTests extends PtreeTestBase {

    @Test
    void item4_serverManageOnOnesOwnNodeDoesNotPullInOtherTeamsHosts() {
        create("/", "b4");
        long mine = create("/b4", "mine");
        long theirs = create("/b4", "theirs");
        WebTestClient assets = client(asset.baseUrl());
        for (String h : List.of("b4-theirs1", "b4-free1", "b4-shared1")) {
            assets.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("hostname", h, "sn", "SN-" + h)).exchange().expectStatus().isCreated();
        }
        bind(admin, theirs, List.of("b4-theirs1", "b4-shared1")).expectStatus().isCreated();
        String lead = user("b4lead", "/b4/mine", "server.manage");

        // another team's host: refused, and nothing bound
        bind(lead, mine, List.of("b4-theirs1")).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions.assertThat(d.toString()).contains("/b4/theirs"));
        // a host bound nowhere is the inventory's to hand out
        bind(lead, mine, List.of("b4-free1")).expectStatus().isForbidden();
        servers(mine).jsonPath("$.length()").isEqualTo(0);

        // with rights where the host serves, it may serve here too
        authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "user:b4lead", "nodePath", "/b4/theirs", "privilege", "server.manage")).exchange()
                .expectStatus().isCreated();
        // (services cache permission answers for up to 5 s)
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> bind(lead, mine, List.of("b4-shared1")).expectStatus().isCreated());
        servers(mine).jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].hostname").isEqualTo("b4-shared1");
        // the inventory owner hands out a free host
        authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "user:b4lead", "nodePath", "/", "privilege", "asset.manage")).exchange()
                .expectStatus().isCreated();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> bind(lead, mine, List.of("b4-free1")).expectStatus().isCreated());
    }

    private WebTestClient.ResponseSpec bind(String token, long nodeId, List<String> hostnames) {
        return http.post().uri("/api/ptree/nodes/" + nodeId + "/servers").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostnames", hostnames)).exchange();
    }

    private WebTestClient.BodyContentSpec servers(long nodeId) {
        return http.get().uri("/api/ptree/nodes/" + nodeId + "/servers").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody();
    }
}
