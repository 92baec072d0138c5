package dev.loki.ptree.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.EventCodec;
import dev.loki.events.LokiEvent;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.ptree.PtreeServiceApplication;
import dev.loki.ptree.PtreeTestBase;
import dev.loki.testsupport.ServiceJar;

/**
 * Issue 11, items 5 and 6: privileges follow their node when it is renamed and go with it when it is
 * deleted — taken from ptree-service's path-change log, in order, whatever reaches the stream.
 */
class GrantsFollowTheTreeIntegrationTests extends PtreeTestBase {

    @Test
    void item6_forgedStreamEntriesMoveNoGrantAndRealChangesStillApply() {
        create("/", "g6f");
        long real = create("/g6f", "o_d");
        create("/g6f", "oxd");
        create("/g6f", "team-a");
        user("g6forged", "/g6f/team-a", "deploy.run");
        grantTo("user:g6forged", "/g6f/o_d/web");
        // a sibling that merely looks alike ("_" is a LIKE wildcard) stays where it is
        grantTo("user:g6forged", "/g6f/oxd");
        allowed("g6forged", "/g6f/team-a", true);

        // anyone who can reach Redis: a grant on /g6f/team-a "renamed" to the root, and one no store could hold
        append(new NodeRenamed("e-forged-1", Instant.now(), "ptree-service", "/", 4242, "/g6f/team-a"));
        append(new NodeRenamed("e-forged-2", Instant.now(), "ptree-service", ("/" + "x".repeat(63)).repeat(12), 4243, "/g6f/team-a"));
        http.patch().uri("/api/ptree/nodes/" + real).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "new")).exchange().expectStatus().isOk();

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> allowed("g6forged", "/g6f/new/web", true));
        allowed("g6forged", "/g6f/team-a", true);
        allowed("g6forged", "/", false);
        allowed("g6forged", "/g6f", false);
        assertThat(grantPaths("user:g6forged")).containsExactlyInAnyOrder("/g6f/team-a", "/g6f/new/web", "/g6f/oxd");
    }

    @Test
    void item6_aRenameWhoseStreamEntryNeverArrivesStillMovesTheGrants() {
        create("/", "g6l");
        long lost = create("/g6l", "before");
        user("g6lost", "/g6l/before", "deploy.run");
        allowed("g6lost", "/g6l/before", true);

        // a replica whose stream entries go where nobody reads them: as if Redis failed right after the commit
        String[] arguments = replicaArguments();
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i].startsWith("--loki.redis.key-prefix=")) {
                arguments[i] = "--loki.redis.key-prefix=" + redisPrefix + "nowhere:";
            }
        }
        try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(PtreeServiceApplication.class).run(arguments)) {
            WebTestClient other = client("http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port"));
            other.patch().uri("/api/ptree/nodes/" + lost).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "after")).exchange().expectStatus().isOk();
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> allowed("g6lost", "/g6l/after", true));
        allowed("g6lost", "/g6l/before", false);
    }

    @Test
    void item6_renamesInARowApplyInOrderWhenTwoAuthReplicasFollow() {
        create("/", "g6o");
        long node = create("/g6o", "n0");
        user("g6order", "/g6o/n0", "deploy.run");
        grantTo("user:g6order", "/g6o/n0/api");
        try (ServiceJar second = auth.replica("auth-service")) {
            for (int i = 1; i <= 12; i++) {
                http.patch().uri("/api/ptree/nodes/" + node).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", "n" + i)).exchange().expectStatus().isOk();
            }
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(grantPaths("user:g6order")).containsExactlyInAnyOrder("/g6o/n12", "/g6o/n12/api"));
        }
        allowed("g6order", "/g6o/n12/api", true);
        allowed("g6order", "/g6o/n11", false);
    }

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
        allowed("g5user", nodePath, expected);
    }

    private void grantTo(String subject, String nodePath) {
        authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", subject, "nodePath", nodePath, "privilege", "deploy.run")).exchange()
                .expectStatus().isCreated();
    }

    private List<String> grantPaths(String subject) {
        Map<?, ?> page = authApi.get().uri(b -> b.path("/api/auth/grants").queryParam("subject", subject).build())
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) page.get("items")).stream().map(g -> (String) ((Map<?, ?>) g).get("nodePath")).toList();
    }

    private void append(LokiEvent event) {
        new ReactiveStringRedisTemplate(redis).opsForStream()
                .add(redisPrefix + Streams.PTREE_PATH_CHANGES, Map.of("event", new EventCodec().encode(event)))
                .block(Duration.ofSeconds(5));
    }

    private void allowed(String username, String nodePath, boolean expected) {
        authApi.get().uri(b -> b.path("/api/auth/check").queryParam("subject", "user:" + username).queryParam("nodePath", nodePath)
                        .queryParam("privilege", "deploy.run").build())
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.allowed").isEqualTo(expected);
    }
}
