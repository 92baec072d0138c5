package dev.loki.ptree.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.EventType;
import dev.loki.events.NodeRenamed;
import dev.loki.ptree.PtreeServiceApplication;
import dev.loki.ptree.PtreeTestBase;
import dev.loki.testsupport.EventRecorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The tree over HTTP on a real ZooKeeper, with real auth-service and asset-service, and a second
 * ptree-service replica on the same ZooKeeper.
 */
class TreeIntegrationTests extends PtreeTestBase {

    static ConfigurableApplicationContext replica;

    @AfterAll
    static void stopReplica() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void renameMovesTheWholeSubtreeInOneStepForConcurrentReaders() throws InterruptedException {
        long corp = create("/", "corp");
        long search = create("/corp", "search");
        create("/corp/search", "web-api");
        create("/corp/search/web-api", "hy");

        AtomicBoolean reading = new AtomicBoolean(true);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            WebTestClient client = client("http://127.0.0.1:" + port);
            while (reading.get()) {
                Map<?, ?> tree = client.get().uri("/api/ptree/tree?path=/corp&depth=5").header("Authorization", "Bearer " + admin)
                        .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
                seen.add(flatten(tree));
            }
        });
        reader.start();
        Thread.sleep(200);
        EventRecorder recorder = EventRecorder.listen(redis, EventType.NODE_RENAMED);
        http.patch().uri("/api/ptree/nodes/" + search).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "find")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.path").isEqualTo("/corp/find");
        Thread.sleep(200);
        reading.set(false);
        reader.join(10_000);

        assertThat(seen).isNotEmpty().allSatisfy(snapshot -> assertThat(snapshot).isIn(
                "/corp /corp/search /corp/search/web-api /corp/search/web-api/hy",
                "/corp /corp/find /corp/find/web-api /corp/find/web-api/hy"));
        assertThat(seen.get(seen.size() - 1)).contains("/corp/find/web-api/hy");
        List<dev.loki.events.LokiEvent> events = recorder.await(1, Duration.ofSeconds(5));
        recorder.close();
        var renamed = (NodeRenamed) events.get(0);
        assertThat(renamed.oldPath()).isEqualTo("/corp/search");
        assertThat(renamed.nodePath()).isEqualTo("/corp/find");
        http.get().uri("/api/ptree/nodes?path=/corp/find/web-api/hy").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.type").isEqualTo("cluster");
        http.get().uri("/api/ptree/nodes?path=/corp/search").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(corp).isPositive();
    }

    @Test
    void moveCarriesTheSubtreeAndCannotCreateACycle() {
        long shop = create("/", "shop");
        long cart = create("/shop", "cart");
        create("/shop/cart", "api");
        create("/", "mall");

        http.patch().uri("/api/ptree/nodes/" + cart).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("parentPath", "/mall")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.path").isEqualTo("/mall/cart");
        http.get().uri("/api/ptree/nodes?path=/mall/cart/api").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        http.patch().uri("/api/ptree/nodes/" + cart).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("parentPath", "/mall/cart/api")).exchange().expectStatus().isEqualTo(409);
        assertThat(shop).isPositive();
    }

    @Test
    void deleteIsRefusedWhileTheNodeHasChildren() {
        long parent = create("/", "ops");
        long child = create("/ops", "db");
        http.delete().uri("/api/ptree/nodes/" + parent).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.delete().uri("/api/ptree/nodes/" + child).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        http.delete().uri("/api/ptree/nodes/" + parent).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        http.get().uri("/api/ptree/nodes/" + parent).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();
    }

    @Test
    void twoReplicasShareOneTreeAndSiblingNamesAreUnique() {
        replica = new SpringApplicationBuilder(PtreeServiceApplication.class).run(replicaArguments());
        int otherPort = replica.getEnvironment().getProperty("local.server.port", Integer.class);
        WebTestClient other = client("http://127.0.0.1:" + otherPort);

        create("/", "multi");
        long started = System.nanoTime();
        int status = 0;
        while (status != 200 && System.nanoTime() - started < Duration.ofSeconds(1).toNanos()) {
            status = other.get().uri("/api/ptree/nodes?path=/multi").header("Authorization", "Bearer " + admin).exchange()
                    .returnResult(String.class).getStatus().value();
        }
        assertThat(status).as("visible through the other replica within 1 s").isEqualTo(200);

        // the blocking test clients get threads of their own: the services' blocking ZooKeeper calls
        // use the JVM-wide boundedElastic scheduler, which 25 waiting clients would otherwise fill
        var clients = Schedulers.fromExecutorService(java.util.concurrent.Executors.newFixedThreadPool(25));
        List<Integer> distinct = Flux.range(0, 50)
                .flatMap(i -> Mono.fromCallable(() -> createStatus(i % 2 == 0 ? http : other, "/multi", "n" + i))
                        .subscribeOn(clients), 25)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(distinct).hasSize(50).containsOnly(201);

        List<Integer> same = Flux.range(0, 50)
                .flatMap(i -> Mono.fromCallable(() -> createStatus(i % 2 == 0 ? http : other, "/multi", "same"))
                        .subscribeOn(clients), 25)
                .collectList().block(Duration.ofSeconds(60));
        clients.dispose();
        assertThat(same.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(same.stream().filter(s -> s == 409)).hasSize(49);
        http.get().uri("/api/ptree/tree?path=/multi&depth=1").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.children.length()").isEqualTo(51);
    }

    @Test
    void searchFindsNodesByPartOfTheirNameShallowestFirst() {
        create("/", "findme");
        create("/findme", "web");
        create("/findme/web", "findme-api");
        create("/findme", "other");
        List<Map<String, Object>> found = http.get().uri("/api/ptree/nodes/search?q=FINDME").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        assertThat(found).extracting(n -> n.get("path")).containsExactly("/findme", "/findme/web/findme-api");
        http.get().uri("/api/ptree/nodes/search?q=findme&limit=1").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].path").isEqualTo("/findme");
        http.get().uri("/api/ptree/nodes/search?q=no-such-node-name").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
        http.get().uri("/api/ptree/nodes/search?q=x&limit=1000").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
    }

    @Test
    void badInputIs400NamingTheField() {
        post(admin, "/", "Bad Name").expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        post(admin, "/nowhere", "x").expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("parentPath");
        post(admin, "corp/", "x").expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("parentPath");
        http.get().uri("/api/ptree/tree?path=/&depth=99").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("depth");
        http.patch().uri("/api/ptree/nodes/1").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "top")).exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void nodeManageOnANodeAllowsChangesBelowItOnly() {
        create("/", "team");
        create("/team", "alpha");
        create("/", "other");
        authApi.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "lead", "password", "lead-pass-12")).exchange().expectStatus().isCreated();
        authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", "user:lead", "nodePath", "/team", "privilege", "node.manage")).exchange()
                .expectStatus().isCreated();
        String lead = login("lead", "lead-pass-12");

        post(lead, "/team/alpha", "web").expectStatus().isCreated();
        // without node.manage there, the change waits for review instead
        post(lead, "/other", "web").expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("pending");
        http.get().uri("/api/ptree/nodes?path=/other/web").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();

        // after a rename, the grant made on /team still applies to the node, now /crew
        long team = ((Number) http.get().uri("/api/ptree/nodes?path=/team").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
        http.patch().uri("/api/ptree/nodes/" + team).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "crew")).exchange().expectStatus().isOk();
        long deadline = System.currentTimeMillis() + 10_000;
        int status = 0;
        while (status != 201 && System.currentTimeMillis() < deadline) {
            status = post(lead, "/crew/alpha", "api").returnResult(String.class).getStatus().value();
        }
        assertThat(status).as("lead may still act below the renamed node").isEqualTo(201);
        http.get().uri("/api/ptree/tree?path=/other").header("Authorization", "Bearer " + lead).exchange().expectStatus().isOk();
        http.get().uri("/api/ptree/tree").exchange().expectStatus().isUnauthorized();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.BodyContentSpec drain(String path, String hostname, boolean offline) {
        return http.put().uri(dev.loki.events.InternalApi.DRAIN).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("path", path, "hostname", hostname, "offline", offline))
                .exchange().expectStatus().isOk().expectBody();
    }

    @Test
    void serversAreBoundOnlyIfAssetServiceKnowsThemAndBlockDeletion() throws InterruptedException {
        long web = create("/", "bind");
        long api = create("/bind", "api");
        WebTestClient assets = client(asset.baseUrl());
        for (String h : List.of("b-web1", "b-web2", "b-web3")) {
            assets.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("hostname", h, "sn", "SN-" + h)).exchange().expectStatus().isCreated();
        }

        bind(api, List.of("b-web1", "b-web2", "b-web3", "b-ghost")).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("hostnames")
                .jsonPath("$.errors[0].message").value(m -> assertThat(m.toString()).contains("b-ghost").doesNotContain("b-web1"));
        servers(api, false).jsonPath("$.length()").isEqualTo(0);

        bind(api, List.of("b-web1", "b-web2", "b-web3")).expectStatus().isCreated();
        servers(web, true).jsonPath("$.length()").isEqualTo(3).jsonPath("$[0].nodePath").isEqualTo("/bind/api");
        patchBinding(api, "b-web1", Map.of("trafficRatio", 0.6)).expectStatus().isOk().expectBody().jsonPath("$.trafficRatio").isEqualTo(0.6);
        patchBinding(api, "b-web2", Map.of("trafficRatio", 0.5)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("trafficRatio");
        patchBinding(api, "b-web2", Map.of("offline", true)).expectStatus().isOk().expectBody().jsonPath("$.offline").isEqualTo(true);
        // other services' background work reads what a subtree holds without a token
        http.get().uri("/internal/ptree/scope?path=/bind").header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.hostnames.length()").isEqualTo(3).jsonPath("$.hostnames[0]").isEqualTo("b-web1");
        http.get().uri("/api/ptree/servers/b-web1/nodes").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[0].path").isEqualTo("/bind/api");
        // deploy-service's drain: every binding of the host in the subtree goes offline, and back; the others stay
        bind(web, List.of("b-web1")).expectStatus().isCreated();
        drain("/bind", "b-web1", true).jsonPath("$.length()").isEqualTo(2).jsonPath("$[?(@.offline == false)]").isEmpty();
        servers(api, false).jsonPath("$[?(@.hostname == 'b-web2')].offline").isEqualTo(List.of(true))
                .jsonPath("$[?(@.hostname == 'b-web3')].offline").isEqualTo(List.of(false));
        drain("/bind/api", "b-web1", false).jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].offline").isEqualTo(false);
        servers(web, false).jsonPath("$[?(@.hostname == 'b-web1')].offline").isEqualTo(List.of(true));
        drain("/bind", "b-web1", false).jsonPath("$[?(@.offline == true)]").isEmpty();
        // a batch's hosts on one node are drained at once: neither write is lost to the other
        var both = java.util.stream.Stream.of("b-web1", "b-web3").map(h -> java.util.concurrent.CompletableFuture.runAsync(
                () -> drain("/bind/api", h, true))).toList();
        both.forEach(java.util.concurrent.CompletableFuture::join);
        servers(api, false).jsonPath("$[?(@.offline == false)]").isEmpty();
        drain("/bind/api", "b-web1", false);
        drain("/bind/api", "b-web3", false);
        http.delete().uri("/api/ptree/nodes/" + web + "/servers/b-web1").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();

        http.delete().uri("/api/ptree/nodes/" + api).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        for (String h : List.of("b-web1", "b-web2")) {
            http.delete().uri("/api/ptree/nodes/" + api + "/servers/" + h).header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isNoContent();
        }

        // asset-service deletes the last one: its binding goes by event
        Number id = (Number) assets.get().uri("/api/asset/servers/by-hostname/b-web3").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("id");
        assets.delete().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        long deadline = System.currentTimeMillis() + 5_000;
        int left = 1;
        while (left > 0 && System.currentTimeMillis() < deadline) {
            left = ((List<?>) http.get().uri("/api/ptree/nodes/" + api + "/servers").header("Authorization", "Bearer " + admin)
                    .exchange().expectBody(List.class).returnResult().getResponseBody()).size();
            Thread.sleep(50);
        }
        assertThat(left).as("bindings left after the server was deleted").isZero();
        http.delete().uri("/api/ptree/nodes/" + api).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
    }

    @Test
    void urlsAreBoundOncePerNodeAndListedRecursively() {
        long product = create("/", "urls");
        long web = create("/urls", "web");
        Map<?, ?> bound = http.post().uri("/api/ptree/nodes/" + web + "/urls").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("domain", "shop.example.com", "path", "/cart"))
                .exchange().expectStatus().isCreated().expectHeader().exists("Location")
                .expectBody(Map.class).returnResult().getResponseBody();
        http.post().uri("/api/ptree/nodes/" + web + "/urls").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("domain", "shop.example.com", "path", "/cart"))
                .exchange().expectStatus().isEqualTo(409);
        http.post().uri("/api/ptree/nodes/" + web + "/urls").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("domain", "Shop Example", "path", "cart"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors.length()").isEqualTo(2);
        http.get().uri("/api/ptree/nodes/" + product + "/urls?recursive=true").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[0].domain").isEqualTo("shop.example.com")
                .jsonPath("$[0].nodePath").isEqualTo("/urls/web");
        http.delete().uri("/api/ptree/nodes/" + web).header("Authorization", "Bearer " + admin).exchange().expectStatus().isEqualTo(409);
        http.delete().uri("/api/ptree/nodes/" + web + "/urls/" + bound.get("id")).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();
        http.delete().uri("/api/ptree/nodes/" + web).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
    }

    // ------------------------------------------------------------------ helpers

    private WebTestClient.ResponseSpec bind(long nodeId, List<String> hostnames) {
        return http.post().uri("/api/ptree/nodes/" + nodeId + "/servers").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostnames", hostnames)).exchange();
    }

    private WebTestClient.BodyContentSpec servers(long nodeId, boolean recursive) {
        return http.get().uri("/api/ptree/nodes/" + nodeId + "/servers?recursive=" + recursive).header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody();
    }

    private WebTestClient.ResponseSpec patchBinding(long nodeId, String hostname, Map<String, Object> body) {
        return http.patch().uri("/api/ptree/nodes/" + nodeId + "/servers/" + hostname).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private int createStatus(WebTestClient client, String parentPath, String name) {
        return client.post().uri("/api/ptree/nodes").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("parentPath", parentPath, "name", name)).exchange().returnResult(String.class).getStatus().value();
    }

    /** Every path in a nested tree answer, space-separated, depth first. */
    private static String flatten(Map<?, ?> node) {
        List<String> paths = new ArrayList<>();
        collect(node, paths);
        return String.join(" ", paths);
    }

    private static void collect(Map<?, ?> node, List<String> paths) {
        paths.add(node.get("path").toString());
        if (node.get("children") instanceof List<?> children) {
            for (Object child : children) {
                collect((Map<?, ?>) child, paths);
            }
        }
    }
}
