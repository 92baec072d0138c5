package dev.loki.ptree.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.loki.ptree.PtreeTestBase;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Issue 11, items 18 and 12: opposite moves sent at once never make a parent cycle, a cycle never hangs the view, no path passes the length limit. */
class MoveCycleIntegrationTests extends PtreeTestBase {

    @Autowired
    CuratorFramework curator;

    @Autowired
    NodeStore store;

    @Test
    void item18_oppositeConcurrentMovesNeverBothSucceed() {
        Scheduler clients = Schedulers.fromExecutorService(Executors.newFixedThreadPool(2));
        create("/", "race");
        for (int round = 0; round < 15; round++) {
            create("/race", "r" + round);
            long a = create("/race/r" + round, "a");
            long b = create("/race/r" + round, "b");
            String base = "/race/r" + round;
            List<Integer> statuses = Flux.just(Map.entry(a, base + "/b"), Map.entry(b, base + "/a"))
                    .flatMap(move -> Mono.fromCallable(() -> moveStatus(move.getKey(), move.getValue())).subscribeOn(clients))
                    .collectList().block(Duration.ofSeconds(30));

            assertThat(statuses).as("round %d", round).hasSize(2).containsAnyOf(409).allMatch(s -> s == 200 || s == 409);
            // both nodes still reach the root below the round's node, one below the other at most
            for (long id : List.of(a, b)) {
                http.get().uri("/api/ptree/nodes/" + id).header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.path").value(path -> assertThat(path.toString()).startsWith(base + "/"));
            }
            http.get().uri("/api/ptree/tree?path=" + base + "&depth=3").header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.children.length()").isEqualTo(statuses.contains(200) ? 1 : 2);
        }
        clients.dispose();
    }

    @Test
    void item18_aCycleWrittenBehindTheServicesBackIsLeftOutAndTheRestIsServed() throws Exception {
        long loop = create("/", "loop");
        long x = create("/loop", "x");
        long y = create("/loop/x", "y");
        create("/loop", "sane");

        // make x's parent y, as a hand edit of ZooKeeper could
        String stored = new String(curator.getData().forPath(store.nodePath(x)), StandardCharsets.UTF_8);
        assertThat(stored).contains("\"parentId\":" + loop);
        curator.setData().forPath(store.nodePath(x), stored.replace("\"parentId\":" + loop, "\"parentId\":" + y).getBytes(StandardCharsets.UTF_8));

        long deadline = System.currentTimeMillis() + 10_000;
        int status = 200;
        while (status != 404 && System.currentTimeMillis() < deadline) {
            status = http.get().uri("/api/ptree/nodes/" + x).header("Authorization", "Bearer " + admin).exchange()
                    .returnResult(String.class).getStatus().value();
        }
        assertThat(status).as("a node on a cycle is not served").isEqualTo(404);
        http.get().uri("/api/ptree/nodes/" + y).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/ptree/tree?path=/loop&depth=3").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.children.length()").isEqualTo(1)
                .jsonPath("$.children[0].path").isEqualTo("/loop/sane");
        http.get().uri("/api/ptree/nodes/search?q=x&limit=10").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk();
        // a move below a node on the cycle is refused, not looped on
        long sane = idOf("/loop/sane");
        http.patch().uri("/api/ptree/nodes/" + sane).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("parentPath", "/loop/x/y")).exchange().expectStatus().is4xxClientError();

        // repair it by hand again: the nodes come back
        curator.setData().forPath(store.nodePath(x), stored.getBytes(StandardCharsets.UTF_8));
        deadline = System.currentTimeMillis() + 10_000;
        while (status != 200 && System.currentTimeMillis() < deadline) {
            status = http.get().uri("/api/ptree/nodes/" + y).header("Authorization", "Bearer " + admin).exchange()
                    .returnResult(String.class).getStatus().value();
        }
        assertThat(status).isEqualTo(200);
        http.get().uri("/api/ptree/nodes?path=/loop/x/y").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
    }

    @Test
    void item12_noPathEverGrowsPastTheLimitAndHugeInputsAreA400() {
        String parent = "/";
        for (int level = 0; level < 7; level++) {
            String name = (char) ('a' + level) + "x".repeat(62);
            create(parent, name);
            parent = (parent.equals("/") ? "" : parent) + "/" + name;
        }
        assertThat(parent).hasSize(448);
        long deep = create(parent, "y".repeat(63));
        post(admin, parent + "/" + "y".repeat(63), "z").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        // a move (or rename) whose subtree would pass the limit is refused as a whole
        create("/", "shallow");
        long mover = create("/shallow", "m");
        create("/shallow/m", "w".repeat(63));
        http.patch().uri("/api/ptree/nodes/" + mover).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("parentPath", parent)).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("parentPath");
        http.get().uri("/api/ptree/nodes?path=/shallow/m/" + "w".repeat(63)).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk();
        http.patch().uri("/api/ptree/nodes/" + deep).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "y".repeat(64))).exchange().expectStatus().isBadRequest();
        // a 3 KB path (a 10 KB URL is refused by the HTTP layer) is a 400 naming the parameter, not a StackOverflowError
        http.get().uri("/api/ptree/nodes?path=" + "/a".repeat(1_500)).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("path");
        post(admin, "/a".repeat(5_000), "x").expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("parentPath");
    }

    private int moveStatus(long id, String parentPath) {
        return client("http://127.0.0.1:" + port).patch().uri("/api/ptree/nodes/" + id).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("parentPath", parentPath)).exchange()
                .returnResult(String.class).getStatus().value();
    }
}
