package dev.loki.ptree.node;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.loki.ptree.PtreeTestBase;

/** Issue 11, item 5: privileges follow their node when it is renamed and go with it when it is deleted. */
class GrantsFollowTheTreeIntegrationTests extends PtreeTestBase {

    @Test
    void item5_aDeletedNodesGrantsAreNotRestoredWhenItsPathIsCreatedAgain() {
        create("/", "g5");
        long app = create("/g5", "app");
        long web = create("/g5", "web");
        user("g5user", "/g5/app", "deploy.run");
        authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "user:g5user", "nodePath", "/g5/web", "privilege", "deploy.run")).exchange()
                .expectStatus().isCreated();
        allowed("/g5/app", true);

        http.delete().uri("/api/ptree/nodes/" + app).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> allowed("/g5/app", false));
        create("/g5", "app");
        allowed("/g5/app", false);

        // a rename carries the grant along; the old path holds nothing
        http.patch().uri("/api/ptree/nodes/" + web).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "www")).exchange().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> allowed("/g5/www", true));
        allowed("/g5/web", false);
    }

    private void allowed(String nodePath, boolean expected) {
        authApi.get().uri(b -> b.path("/api/auth/check").queryParam("subject", "user:g5user").queryParam("nodePath", nodePath)
                        .queryParam("privilege", "deploy.run").build())
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.allowed").isEqualTo(expected);
    }
}
