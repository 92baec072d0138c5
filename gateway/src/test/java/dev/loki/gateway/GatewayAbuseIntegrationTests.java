package dev.loki.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.loki.devstack.Ports;
import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 11, items 9 and 23: what invalid credentials and one heavy caller cost. A real auth-service
 * (its metrics on a management port of its own, to count what reaches it) behind the gateway, and an
 * upstream standing in for asset-service with a slow endpoint. Each test sends from a loopback address
 * of its own (any 127.x is this machine), so budgets per address do not mix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "loki.gateway.failed-calls-per-address=10",
        "loki.gateway.failed-calls-window=1m",
        "loki.gateway.max-concurrent-calls-per-caller=4",
        "loki.gateway.timeouts.asset-service=10s",
        "loki.gateway.max-event-streams-per-subject=3",
})
class GatewayAbuseIntegrationTests {

    @TempDir
    static Path keys;

    static ServiceJar auth;
    static int authMetricsPort;
    static DisposableServer upstream;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        String prefix = LokiTestProperties.registerRedis(registry, "gwabuse");
        authMetricsPort = Ports.freePort();
        auth = ServiceJar.auth("gwabuse", prefix, "abuse-admin-1", keys,
                Map.of("LOKI_MANAGEMENT_PORT", Integer.toString(authMetricsPort)));
        upstream = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/asset/echo", (req, res) -> res.header("Content-Type", "application/json").sendString(Mono.just("{}")))
                        .get("/api/asset/slow", (req, res) -> res.sendString(Mono.delay(Duration.ofSeconds(3)).map(x -> "late"))))
                .bindNow();
        registry.add("LOKI_AUTH_URI", auth::baseUrl);
        registry.add("LOKI_JWKS_URI", () -> auth.baseUrl() + "/api/auth/jwks");
        registry.add("LOKI_ASSET_URI", () -> "http://127.0.0.1:" + upstream.port());
    }

    @AfterAll
    static void stop() {
        upstream.disposeNow();
        auth.close();
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.data.redis.connection.ReactiveRedisConnectionFactory redisFactory;

    WebTestClient http;
    String admin;

    @BeforeEach
    void setUp() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        admin = login("admin", "abuse-admin-1");
    }

    @Test
    void item9_anAddressThatSpentItsFailedCallBudgetGets429WithoutItsTokensBeingLookedUp() throws Exception {
        String from = "127.0.0.21";
        for (int i = 0; i < 10; i++) {
            assertThat(getFrom(from, "/api/auth/me", "loki_" + UUID.randomUUID()).status()).isEqualTo(401);
        }
        double lookups = authRequests("/internal/tokens/exchange");
        RawHttp.Answer refused = getFrom(from, "/api/auth/me", "loki_" + UUID.randomUUID());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.header("retry-after")).isNotBlank();
        assertThat(refused.body()).contains("https://loki.dev/problems/too-many-failed-calls");
        assertThat(getFrom(from, "/api/auth/me", "not-even-a-jwt").status()).isEqualTo(429);
        assertThat(authRequests("/internal/tokens/exchange")).as("no lookup for the refused tokens").isEqualTo(lookups);

        http.get().uri("/api/auth/me").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        // a token the gateway already verified still works from that address (one bad script does not lock out its NAT)
        assertThat(getFrom(from, "/api/auth/me", admin).status()).isEqualTo(200);
        // and other addresses are not affected
        assertThat(getFrom("127.0.0.22", "/api/auth/me", "loki_" + UUID.randomUUID()).status()).isEqualTo(401);
    }

    @Test
    void item9_aRefusedApiTokenIsNotLookedUpAgainAndAgain() throws Exception {
        String guess = "loki_" + UUID.randomUUID();
        double before = authRequests("/internal/tokens/exchange");
        for (int i = 0; i < 5; i++) {
            assertThat(getFrom("127.0.0.23", "/api/auth/me", guess).status()).isEqualTo(401);
        }
        assertThat(authRequests("/internal/tokens/exchange") - before).as("auth-service asked once for one token").isEqualTo(1);
    }

    @Test
    void item9_tokensNamingUnknownKeyIdsDoNotMakeTheGatewayFetchTheJwksEachTime() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPrivateKey foreign = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
        assertThat(getFrom("127.0.0.24", "/api/auth/me", admin).status()).isEqualTo(200);
        double before = authRequests("/api/auth/jwks");
        for (int i = 0; i < 8; i++) {
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("forged-" + UUID.randomUUID()).build(),
                    new JWTClaimsSet.Builder().issuer("loki").audience("loki").subject("user:admin").claim("admin", true)
                            .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
            forged.sign(new RSASSASigner(foreign));
            assertThat(getFrom("127.0.0.24", "/api/auth/me", forged.serialize()).status()).isEqualTo(401);
        }
        assertThat(authRequests("/api/auth/jwks") - before).as("JWKS reads for 8 unknown key ids").isLessThanOrEqualTo(1);
    }

    @Test
    void item23_oneCallersSlowCallsHoldAtMostItsShareAndOthersAreServed() throws Exception {
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "heavy", "password", "heavy-pass-1")).exchange().expectStatus().isCreated();
        String heavy = login("heavy", "heavy-pass-1");
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        var calls = Flux.range(0, 10).flatMap(i -> Mono.fromCallable(() -> {
            var result = http.get().uri("/api/asset/slow").header("Authorization", "Bearer " + heavy).exchange()
                    .returnResult(String.class);
            statuses.add(result.getStatus().value());
            if (result.getStatus().value() == 429) {
                types.add(String.join("", result.getResponseBody().collectList().block()));
            }
            return result.getStatus().value();
        }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 10).collectList().toFuture();
        // while the heavy caller's calls are in flight, another caller is answered at once
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> statuses.contains(429));
        http.get().uri("/api/asset/echo").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        calls.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(statuses.stream().filter(s -> s == 200).count()).as("calls admitted").isEqualTo(4);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(6);
        assertThat(types).allSatisfy(body -> assertThat(body).contains("https://loki.dev/problems/too-many-concurrent-calls"));
        // the slots are given back: the heavy caller is served again
        http.get().uri("/api/asset/echo").header("Authorization", "Bearer " + heavy).exchange().expectStatus().isOk();
    }

    @Test
    void item17_aStreamEndsWithItsSessionAndOneSubjectHoldsAtMostItsShareOfStreams() throws Exception {
        createUser("streamer", "streamer-pass-1");
        Live user = follow(login("streamer", "streamer-pass-1"), "/");
        String[] token = createToken(admin, "stream-script").split("\\|");
        Live script = follow(token[0], "/");
        Live watcher = follow(admin, "/");
        prime(watcher, "/");

        http.patch().uri("/api/auth/users/streamer").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false)).exchange().expectStatus().isOk();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(user.ended());
        http.delete().uri("/api/auth/tokens/" + token[1]).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(script.ended());
        assertThat(watcher.ended()).as("others' streams go on").isFalse();

        createUser("many", "many-pass-1");
        String many = login("many", "many-pass-1");
        List<Live> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(follow(many, "/"));
        }
        http.get().uri("/api/events?nodePath=/").header("Authorization", "Bearer " + many).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isEqualTo(429).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        streams.get(0).subscription().dispose();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Live again = follow(many, "/");
            again.subscription().dispose();
        });
        streams.forEach(l -> l.subscription().dispose());
        watcher.subscription().dispose();
    }

    @Test
    void item17_petitionsReachOnlyThoseThePetitionsApiShowsThemTo() throws Exception {
        createUser("petitioner", "petitioner-pass-1");
        createUser("bystander", "bystander-pass-1");
        Live petitioner = follow(login("petitioner", "petitioner-pass-1"), "/pet");
        Live bystander = follow(login("bystander", "bystander-pass-1"), "/pet");
        Live decider = follow(admin, "/pet");
        prime(decider, "/pet");
        var redis = new org.springframework.data.redis.core.ReactiveStringRedisTemplate(redisFactory);
        var codec = new dev.loki.events.EventCodec();
        for (dev.loki.events.LokiEvent event : List.of(
                new dev.loki.events.PetitionFiled("p-1", dev.loki.events.Events.now(), "test", "/pet", 1, "user:petitioner", "node.manage", "please"),
                new dev.loki.events.NodeCreated("m-1", dev.loki.events.Events.now(), "test", "/pet/marker", 70, 69, "service"))) {
            redis.convertAndSend(event.channel(), codec.encode(event)).block(Duration.ofSeconds(5));
        }
        for (Live live : List.of(petitioner, bystander, decider)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> live.ids().contains("m-1"));
        }
        assertThat(petitioner.ids()).containsExactly("p-1", "m-1");
        assertThat(decider.ids()).containsExactly("p-1", "m-1");
        assertThat(bystander.ids()).as("a petition the petitions API hides from this user").containsExactly("m-1");
        List.of(petitioner, bystander, decider).forEach(l -> l.subscription().dispose());
    }

    @Test
    void item17_aClientThatStopsReadingIsDroppedAndDelaysNobodyElse() throws Exception {
        createUser("sluggish", "sluggish-pass-1");
        String sluggish = login("sluggish", "sluggish-pass-1");
        Live fast = follow(admin, "/slow");
        prime(fast, "/slow");
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            slow.getOutputStream().write(("GET /api/events?nodePath=/slow HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + sluggish + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            slow.getInputStream().read(new byte[64]); // the stream is open; from here on this client reads nothing
            var redis = new org.springframework.data.redis.core.ReactiveStringRedisTemplate(redisFactory);
            String pad = "x".repeat(8_000);
            int events = 3_000;
            // in batches the reading client keeps up with (a client slower than the event rate is dropped too, by design)
            for (int batch = 0; batch < events / 100; batch++) {
                int first = batch * 100;
                Flux.range(first, 100).concatMap(i -> redis.convertAndSend("loki.ptree.node-created",
                                "{\"type\":\"node-created\",\"id\":\"s-" + i + "\",\"nodePath\":\"/slow/n\",\"pad\":\"" + pad + "\"}"))
                        .then().block(Duration.ofSeconds(30));
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(fast.ids()).as("events the reading client got").hasSize(first + 100));
            }
            assertThat(fast.ended()).isFalse();
            // the one that did not read was disconnected: what the network still holds for it ends in EOF
            slow.setSoTimeout(20_000);
            byte[] sink = new byte[65_536];
            while (slow.getInputStream().read(sink) >= 0) {
                // draining
            }
        }
        fast.subscription().dispose();
    }

    record Live(List<org.springframework.http.codec.ServerSentEvent<String>> received, java.util.concurrent.atomic.AtomicBoolean ended,
                reactor.core.Disposable subscription) {
        List<String> ids() {
            return received.stream().filter(e -> e.id() != null && !e.id().startsWith("probe-")).map(e -> e.id()).toList();
        }
    }

    /** Follows the live stream with a bearer until disposed; answers once the stream has opened. */
    private Live follow(String bearer, String nodePath) {
        List<org.springframework.http.codec.ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        var ended = new java.util.concurrent.atomic.AtomicBoolean();
        var subscription = org.springframework.web.reactive.function.client.WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(1024 * 1024)).build()
                .get().uri("/api/events?nodePath=" + nodePath).header("Authorization", "Bearer " + bearer).retrieve()
                .bodyToFlux(new org.springframework.core.ParameterizedTypeReference<org.springframework.http.codec.ServerSentEvent<String>>() {
                })
                .doFinally(signal -> ended.set(true))
                .subscribe(received::add, error -> { }, () -> { });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty() || ended.get());
        assertThat(ended.get()).as("the stream opened").isFalse();
        return new Live(received, ended, subscription);
    }

    /**
     * Waits until events published now reach this stream (the gateway subscribes to Redis when its first
     * stream opens, and confirms a moment later): probe events under {@code path} until one arrives.
     */
    private void prime(Live live, String path) {
        var redis = new org.springframework.data.redis.core.ReactiveStringRedisTemplate(redisFactory);
        String probe = "probe-" + UUID.randomUUID();
        String json = "{\"type\":\"node-created\",\"id\":\"" + probe + "\",\"nodePath\":\"" + (path.equals("/") ? "" : path) + "/probe\"}";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            redis.convertAndSend("loki.ptree.node-created", json).block(Duration.ofSeconds(5));
            return live.received().stream().anyMatch(e -> probe.equals(e.id()));
        });
    }

    private void createUser(String username, String password) {
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange().expectStatus().isCreated();
    }

    /** A new API token of the caller, as {@code secret|id}. */
    private String createToken(String bearer, String name) {
        Map<?, ?> created = http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + bearer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", name)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return created.get("token") + "|" + created.get("id");
    }

    /** A GET from a chosen loopback address with a bearer token. */
    private RawHttp.Answer getFrom(String localAddress, String path, String bearer) throws IOException {
        return RawHttp.send(localAddress, port, "GET", path, "Authorization: Bearer " + bearer + "\r\n", "");
    }

    /** How many requests auth-service has served on this path, from its own metrics. */
    private static double authRequests(String uri) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + authMetricsPort + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher line = Pattern.compile("^http_server_requests_seconds_count\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (line.find()) {
            if (line.group(1).contains("uri=\"" + uri + "\"")) {
                total += Double.parseDouble(line.group(2));
            }
        }
        return total;
    }

    private String login(String username, String password) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }
}
