package dev.loki.ptree.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.ptree.PtreeServiceApplication;
import dev.loki.ptree.PtreeTestBase;
import dev.loki.testsupport.TcpProxy;

/** Issue 11, the fault suite for ZooKeeper: it goes away: writes fail cleanly with 503, reads answer from the view; both recover; a new replica loses nothing. */
class ZooKeeperFaultIntegrationTests extends PtreeTestBase {

    @Test
    void writesFailCleanlyWhileZooKeeperIsDownAndReadsKeepAnswering() throws Exception {
        long outage = create("/", "outage");
        create("/outage", "before");

        zk.stop();
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            int status = 0;
            while (status != 503 && System.currentTimeMillis() < deadline) {
                status = post(admin, "/outage", "during").returnResult(String.class).getStatus().value();
            }
            assertThat(status).as("a write while ZooKeeper is down").isEqualTo(503);
            post(admin, "/outage", "during").expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.title").isEqualTo("Tree store unavailable");
            http.get().uri("/api/ptree/tree?path=/outage&depth=1").header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.children[0].path").isEqualTo("/outage/before");
        } finally {
            zk.restart();
        }

        long deadline = System.currentTimeMillis() + 60_000;
        int status = 0;
        while (status != 201 && System.currentTimeMillis() < deadline) {
            status = post(admin, "/outage", "after").returnResult(String.class).getStatus().value();
            Thread.sleep(status == 201 ? 0 : 200);
        }
        assertThat(status).as("writes recover once ZooKeeper is back").isEqualTo(201);
        http.get().uri("/api/ptree/nodes?path=/outage/after").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();

        // a freshly started replica (a restart) sees everything written, and the change history
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(PtreeServiceApplication.class).run(replicaArguments())) {
            WebTestClient other = client("http://127.0.0.1:" + restarted.getEnvironment().getProperty("local.server.port"));
            other.get().uri("/api/ptree/tree?path=/outage&depth=1").header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(outage).jsonPath("$.children.length()").isEqualTo(2);
            Map<?, ?> history = other.get().uri("/api/ptree/changes?nodePath=/outage").header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            assertThat(((Number) history.get("total")).intValue()).isEqualTo(3);
        }
    }

    @Test
    void item19_aWriteWhoseCallerGot503DoesNotCommitWhenZooKeeperAnswersAgain() throws Exception {
        create("/", "late");
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", zk.getPort())) {
            String[] arguments = Arrays.stream(replicaArguments())
                    .map(a -> a.startsWith("--loki.ptree.zk-connect=") ? "--loki.ptree.zk-connect=127.0.0.1:" + proxy.port() : a)
                    .toArray(String[]::new);
            try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(PtreeServiceApplication.class).run(arguments)) {
                WebTestClient other = client("http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port"));
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> other.get().uri("/api/ptree/nodes?path=/late")
                        .header("Authorization", "Bearer " + admin).exchange().returnResult(String.class).getStatus().value() == 200);

                proxy.hang(); // the write goes out and nothing comes back
                long started = System.nanoTime();
                other.post().uri("/api/ptree/nodes").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("parentPath", "/late", "name", "during")).exchange()
                        .expectStatus().isEqualTo(503).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the 503 comes within 5 s").isLessThan(Duration.ofSeconds(5));

                proxy.down(); // the connection drops; Curator reconnects (same session) once the port answers again
                proxy.up();
                Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> other.post()
                        .uri("/api/ptree/nodes").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("parentPath", "/late", "name", "after")).exchange().returnResult(String.class)
                        .getStatus().value() == 201);
                // Curator's back-off would have sent the abandoned write again within ~10 s of the reconnect
                Awaitility.await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                        .until(() -> http.get().uri("/api/ptree/nodes?path=/late/during").header("Authorization", "Bearer " + admin)
                                .exchange().returnResult(String.class).getStatus().value() == 404);
                http.get().uri("/api/ptree/nodes?path=/late/after").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
            }
        }
    }
}
