package dev.loki.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import dev.loki.events.EventCodec;
import dev.loki.events.EventType;
import dev.loki.events.GrantCreated;
import dev.loki.events.LokiEvent;
import dev.loki.testsupport.EventRecorder;
import dev.loki.testsupport.LokiTestProperties;

/** auth-service end to end over HTTP, against real MariaDB and Redis. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "loki.auth.admin-password=admin-secret-1",
        // no ptree-service here: port 1 is never listened on
        "loki.auth.ptree-uri=http://127.0.0.1:1",
        "loki.auth.login.max-failures-per-user=3",
        "loki.auth.login.max-failures-per-address=10",
        "loki.auth.login.window=2s",
        "loki.auth.session-max-lifetime=6s",
})
class AuthApiIntegrationTests {

    @TempDir
    static Path keys;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LokiTestProperties.register(registry, "auth");
        registry.add("loki.auth.key-dir", () -> keys.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    @Autowired
    ReactiveRedisConnectionFactory redis;

    WebTestClient http;
    String admin;

    @BeforeEach
    void setUp() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
        admin = login("admin", "admin-secret-1");
    }

    // ------------------------------------------------------------------ sessions

    @Test
    void loginThenMeAndWithoutTokenIs401Problem() {
        http.get().uri("/api/auth/me").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.username").isEqualTo("admin").jsonPath("$.admin").isEqualTo(true);

        http.get().uri("/api/auth/me").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/unauthorized").jsonPath("$.status").isEqualTo(401);

        http.get().uri("/api/auth/me").header("Authorization", "Bearer not-a-jwt").exchange()
                .expectStatus().isUnauthorized().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongPasswordIs401AndLoginResponseHasTheContractShape() {
        createUser("carol", "carol-pass-1", false);
        http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", "wrong-password")).exchange()
                .expectStatus().isUnauthorized().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", "carol-pass-1")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.tokenType").isEqualTo("Bearer").jsonPath("$.expiresIn").isEqualTo(900)
                .jsonPath("$.accessToken").isNotEmpty().jsonPath("$.refreshToken").isNotEmpty();
    }

    @Test
    void refreshTokensRotateAndReuseEndsTheSession() {
        createUser("dave", "dave-pass-1", false);
        Map<?, ?> first = loginResponse("dave", "dave-pass-1");
        Map<?, ?> second = refresh((String) first.get("refreshToken")).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(second.get("refreshToken")).isNotEqualTo(first.get("refreshToken"));
        me((String) second.get("accessToken")).expectStatus().isOk();

        // the old one again: someone copied it, so the whole family is revoked
        refresh((String) first.get("refreshToken")).expectStatus().isUnauthorized();
        refresh((String) second.get("refreshToken")).expectStatus().isUnauthorized();
    }

    @Test
    void item11also_aSessionEndsAtItsMaximumLifetimeHoweverOftenItIsRefreshed() {
        createUser("rotator", "rotator-pass-1", false);
        java.util.concurrent.atomic.AtomicReference<String> current = new java.util.concurrent.atomic.AtomicReference<>(
                (String) loginResponse("rotator", "rotator-pass-1").get("refreshToken"));
        java.util.concurrent.atomic.AtomicInteger refreshed = new java.util.concurrent.atomic.AtomicInteger();
        // refreshed every half second, the session (6 s here) still ends: a refresh answers 401
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
            var result = refresh(current.get()).returnResult(Map.class);
            if (result.getStatus().value() != 200) {
                return true;
            }
            current.set((String) result.getResponseBody().blockFirst().get("refreshToken"));
            refreshed.incrementAndGet();
            return false;
        });
        assertThat(refreshed.get()).as("refreshes that worked before the session's end").isGreaterThan(3);
        // signing in again starts a new session
        assertThat(loginResponse("rotator", "rotator-pass-1").get("refreshToken")).isNotNull();
    }

    @Test
    void item11also_apiTokensHaveAMaximumLifetime() {
        http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "forever", "expiresAt", java.time.Instant.now().plus(java.time.Duration.ofDays(800)).toString()))
                .exchange().expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("expiresAt");
        Map<?, ?> created = http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "no-expiry-asked")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        java.time.Instant expires = java.time.Instant.parse(created.get("expiresAt").toString());
        assertThat(expires).isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(364)),
                java.time.Instant.now().plus(java.time.Duration.ofDays(366)));
    }

    @Test
    void logoutRevokesTheRefreshToken() {
        createUser("erin", "erin-pass-1", false);
        Map<?, ?> session = loginResponse("erin", "erin-pass-1");
        http.post().uri("/api/auth/logout").header("Authorization", "Bearer " + session.get("accessToken"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("refreshToken", session.get("refreshToken")))
                .exchange().expectStatus().isNoContent();
        refresh((String) session.get("refreshToken")).expectStatus().isUnauthorized();
    }

    @Test
    void repeatedWrongPasswordsAreThrottledThenTheRightOneWorksAfterTheWait() throws InterruptedException {
        createUser("frank", "frank-pass-1", false);
        for (int i = 0; i < 3; i++) {
            loginAttempt("frank", "nope-nope").expectStatus().isUnauthorized();
        }
        loginAttempt("frank", "nope-nope").expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/login-throttled");
        // throttled even with the right password until the window passes
        loginAttempt("frank", "frank-pass-1").expectStatus().isEqualTo(429);

        Thread.sleep(2_500);
        loginAttempt("frank", "frank-pass-1").expectStatus().isOk();
    }

    @Test
    void item8_manyUsersFailingFromOneClientAddressThrottleThatAddressOnly() {
        // an address and user names no other test uses: nothing earlier counts against them
        // the address's limit (10) of failures for different users, sent at once so they fall within the window on a busy machine
        List<Integer> statuses = reactor.core.publisher.Flux.range(0, 10)
                .flatMap(i -> reactor.core.publisher.Mono.fromCallable(() -> loginAttempt("item8-nobody-" + i, "wrong-password", "203.0.113.7")
                        .returnResult(String.class).getStatus().value()).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 10)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(10).allMatch(s -> s == 401 || s == 429);
        loginAttempt("item8-nobody-x", "wrong-password", "203.0.113.7").expectStatus().isEqualTo(429);
        // even a user without failures of its own is refused from that address until the window passes
        createUser("nora", "nora-pass-12", false);
        loginAttempt("nora", "nora-pass-12", "203.0.113.7").expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
        // ... but not from another client behind the same gateway, nor when the gateway names no client
        loginAttempt("nora", "nora-pass-12", "203.0.113.8").expectStatus().isOk();
        loginAttempt("nora", "nora-pass-12").expectStatus().isOk();
        // once the window (2 s here) has passed, that address may sign in again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> loginAttempt("nora", "nora-pass-12", "203.0.113.7").expectStatus().isOk());
    }

    @Test
    void item8_failuresWithoutAClientAddressNeverLockOutEveryone() {
        createUser("olga", "olga-pass-12", false);
        // 20 failures for different users, all arriving from the gateway's own address (loopback here)
        for (int i = 0; i < 20; i++) {
            loginAttempt("item8-stranger-" + i, "wrong-password").expectStatus().isUnauthorized();
        }
        loginAttempt("olga", "olga-pass-12").expectStatus().isOk();
        // a junk header is ignored (no address), never an error
        loginAttempt("olga", "olga-pass-12", "not-an-address").expectStatus().isOk();
    }

    // ------------------------------------------------------------------ bad input

    static Stream<Arguments> badInput() {
        String huge = "{\"username\":\"" + "x".repeat(1_100_000) + "\",\"password\":\"p\"}";
        return Stream.of(
                Arguments.of(HttpMethod.POST, "/api/auth/login", "{}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/login", "{\"username\":\"admin\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/login", "{\"username\":\"admin\",\"password\":\"x\",\"role\":\"root\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/login", "{\"username\":[1],\"password\":{}}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/login", "{\"username\":\"admin' OR '1'='1\",\"password\":\"' OR 1=1 --\"}", 401),
                Arguments.of(HttpMethod.POST, "/api/auth/login", "{\"username\":", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/login", "null", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/login", huge, 413),
                Arguments.of(HttpMethod.POST, "/api/auth/refresh", "{\"refreshToken\":42}", 401),
                Arguments.of(HttpMethod.POST, "/api/auth/refresh", "[]", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/users", "{\"username\":\"Bad Name\",\"password\":\"short\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/users", "{\"username\":\"ok\",\"password\":\"long-enough\",\"admin\":\"yes\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/users", "{\"username\":\"robert'); DROP TABLE users;--\",\"password\":\"long-enough\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/users", huge, 413),
                Arguments.of(HttpMethod.PATCH, "/api/auth/users/admin", "{\"password\":\"x\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/tokens", "{}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/tokens", "{\"name\":\"t\",\"expiresAt\":\"tomorrow\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/tokens", "{\"name\":\"t\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/grants", "{\"subject\":\"root\",\"nodePath\":\"/corp\",\"privilege\":\"node.manage\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/grants", "{\"subject\":\"user:admin\",\"nodePath\":\"corp/\",\"privilege\":\"node.manage\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/grants", "{\"subject\":\"user:admin\",\"nodePath\":\"/corp\",\"privilege\":\"god\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/grants", "{\"subject\":\"user:nobody\",\"nodePath\":\"/corp\",\"privilege\":\"node.manage\"}", 400),
                Arguments.of(HttpMethod.POST, "/api/auth/petitions", "{\"nodePath\":\"/corp\",\"privilege\":\"node.manage\"}", 400),
                Arguments.of(HttpMethod.DELETE, "/api/auth/grants/abc", null, 400),
                Arguments.of(HttpMethod.GET, "/api/auth/grants?size=501", null, 400),
                Arguments.of(HttpMethod.GET, "/api/auth/users?page=-1", null, 400),
                Arguments.of(HttpMethod.GET, "/api/auth/check?nodePath=/corp", null, 400),
                Arguments.of(HttpMethod.GET, "/api/auth/check?nodePath=/corp&privilege=x", null, 400));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("badInput")
    void badInputIsA4xxProblemAndStoresNothing(HttpMethod method, String uri, String body, int status) {
        Map<String, Long> before = rowCounts();
        // oversized bodies are refused before they are read: give each such request a connection of its own
        WebTestClient client = status == 413 ? WebTestClient.bindToServer(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.newConnection())))
                .baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build() : http;
        var request = client.method(method).uri(uri).header("Authorization", "Bearer " + admin);
        var response = body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();

        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(status).jsonPath("$.title").isNotEmpty();
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void validationProblemNamesTheField() {
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"username\":\"ok-name\",\"password\":\"long-enough\",\"colour\":\"red\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("colour").jsonPath("$.errors[0].message").isEqualTo("unknown field");
    }

    // ------------------------------------------------------------------ users

    @Test
    void userAdministrationIsForAdminsOnly() {
        createUser("gina", "gina-pass-1", false);
        String gina = login("gina", "gina-pass-1");
        http.get().uri("/api/auth/users").header("Authorization", "Bearer " + gina).exchange().expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + gina).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "intruder", "password", "intruder-1")).exchange().expectStatus().isForbidden();

        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "gina", "password", "another-1")).exchange().expectStatus().isEqualTo(409);
        http.patch().uri("/api/auth/users/gina").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("displayName", "Gina G")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.displayName").isEqualTo("Gina G").jsonPath("$.passwordHash").doesNotExist();
        http.get().uri("/api/auth/users/nobody").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.delete().uri("/api/auth/users/gina").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        loginAttempt("gina", "gina-pass-1").expectStatus().isUnauthorized();
    }

    @Test
    void passwordsAreStoredHashed() {
        createUser("hank", "hank-pass-1", false);
        String hash = db.sql("SELECT password_hash FROM users WHERE username = 'hank'").map(r -> r.get(0, String.class)).one().block();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("hank-pass-1");
    }

    // ------------------------------------------------------------------ API tokens

    @Test
    void apiTokenIsShownOnceStoredHashedAndStopsWorkingWhenRevoked() {
        Map<?, ?> created = http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "ci-deployer")).exchange()
                .expectStatus().isCreated().expectHeader().exists("Location")
                .expectBody(Map.class).returnResult().getResponseBody();
        String secret = (String) created.get("token");
        Number id = (Number) created.get("id");
        assertThat(secret).startsWith("loki_").hasSizeGreaterThan(40);

        assertThat(db.sql("SELECT COUNT(*) FROM api_tokens WHERE token_hash = :s").bind("s", secret)
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
        http.get().uri("/api/auth/tokens").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("ci-deployer").doesNotContain(secret));

        String exchanged = exchange(secret).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("accessToken").toString();
        http.get().uri("/api/auth/me").header("Authorization", "Bearer " + exchanged).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.subject").isEqualTo("token:" + id).jsonPath("$.admin").isEqualTo(false);
        // a token cannot mint more tokens
        http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + exchanged)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "child")).exchange().expectStatus().isForbidden();

        http.delete().uri("/api/auth/tokens/" + id).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        exchange(secret).expectStatus().isUnauthorized();
    }

    // ------------------------------------------------------------------ grants, petitions, check

    @Test
    void grantManageOnANodeAllowsGrantingBelowItOnly() {
        createUser("ivy", "ivy-pass-12", false);
        createUser("jack", "jack-pass-1", false);
        String ivy = login("ivy", "ivy-pass-12");

        grant(ivy, "user:jack", "/corp/search", "node.manage").expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        grant(admin, "user:ivy", "/corp", "grant.manage").expectStatus().isCreated().expectHeader().exists("Location");
        grant(admin, "user:ivy", "/corp", "grant.manage").expectStatus().isEqualTo(409);
        grant(admin, "user:ivy", "/corp", "node.manage").expectStatus().isCreated();

        grant(ivy, "user:jack", "/corp/search", "node.manage").expectStatus().isCreated();
        grant(ivy, "user:jack", "/corpx", "node.manage").expectStatus().isForbidden();
        grant(ivy, "user:jack", "/", "node.manage").expectStatus().isForbidden();

        check(admin, "user:jack", "/corp/search/web-api", "node.manage").jsonPath("$.allowed").isEqualTo(true)
                .jsonPath("$.grantedBy.nodePath").isEqualTo("/corp/search");
        check(admin, "user:jack", "/corp", "node.manage").jsonPath("$.allowed").isEqualTo(false)
                .jsonPath("$.grantedBy").isEmpty();
        check(admin, "user:jack", "/corp/search", "deploy.run").jsonPath("$.allowed").isEqualTo(false);
    }

    @Test
    void petitionIsDecidedBySomeoneWithGrantManageAbove() {
        createUser("kim", "kim-pass-12", false);
        createUser("lee", "lee-pass-12", false);
        grant(admin, "user:kim", "/shop", "grant.manage").expectStatus().isCreated();
        grant(admin, "user:kim", "/shop", "deploy.run").expectStatus().isCreated();
        String kim = login("kim", "kim-pass-12");
        String lee = login("lee", "lee-pass-12");

        Number id = (Number) http.post().uri("/api/auth/petitions").header("Authorization", "Bearer " + lee)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("nodePath", "/shop/cart", "privilege", "deploy.run", "reason", "on call"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
        check(admin, "user:lee", "/shop/cart", "deploy.run").jsonPath("$.allowed").isEqualTo(false);

        http.post().uri("/api/auth/petitions/" + id + "/approve").header("Authorization", "Bearer " + lee).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/auth/petitions?status=pending").header("Authorization", "Bearer " + kim).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[?(@.id == " + id + ")]").exists();
        http.post().uri("/api/auth/petitions/" + id + "/approve").header("Authorization", "Bearer " + kim).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("approved");
        http.post().uri("/api/auth/petitions/" + id + "/reject").header("Authorization", "Bearer " + kim).exchange()
                .expectStatus().isEqualTo(409);

        check(lee, "user:lee", "/shop/cart/api", "deploy.run").jsonPath("$.allowed").isEqualTo(true);
    }

    private long count(String tableAndWhere) {
        return db.sql("SELECT COUNT(*) FROM " + tableAndWhere).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void grantEventIsPublishedOnRedis() throws InterruptedException {
        createUser("mia", "mia-pass-12", false);
        try (EventRecorder recorder = EventRecorder.listen(redis, EventType.GRANT_CREATED)) {
            grant(admin, "user:mia", "/ops", "alarm.manage").expectStatus().isCreated();
            List<LokiEvent> received = recorder.await(1, Duration.ofSeconds(5));
            assertThat(received).hasSize(1);
            var event = (GrantCreated) received.get(0);
            assertThat(event.subject()).isEqualTo("user:mia");
            assertThat(event.nodePath()).isEqualTo("/ops");
            assertThat(event.privilege()).isEqualTo("alarm.manage");
        }
    }

    @Test
    void jwksVerifiesIssuedTokens() throws Exception {
        String jwks = http.get().uri("/api/auth/jwks").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        RSAKey key = JWKSet.parse(jwks).getKeys().get(0).toRSAKey();
        assertThat(key.isPrivate()).isFalse();

        SignedJWT jwt = SignedJWT.parse(admin);
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("user:admin");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("loki");
    }

    // ------------------------------------------------------------------ helpers

    private String login(String username, String password) {
        return (String) loginResponse(username, password).get("accessToken");
    }

    private Map<?, ?> loginResponse(String username, String password) {
        return loginAttempt(username, password).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec loginAttempt(String username, String password, String clientAddress) {
        return http.post().uri("/api/auth/login").header("X-Loki-Client-Address", clientAddress).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange();
    }

    private WebTestClient.ResponseSpec loginAttempt(String username, String password) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange();
    }

    private WebTestClient.ResponseSpec refresh(String refreshToken) {
        return http.post().uri("/api/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", refreshToken)).exchange();
    }

    private WebTestClient.ResponseSpec me(String accessToken) {
        return http.get().uri("/api/auth/me").header("Authorization", "Bearer " + accessToken).exchange();
    }

    private WebTestClient.ResponseSpec exchange(String secret) {
        return http.post().uri(dev.loki.events.InternalApi.TOKEN_EXCHANGE).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", secret)).exchange();
    }

    private void createUser(String username, String password, boolean isAdmin) {
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password, "admin", isAdmin)).exchange()
                .expectStatus().isCreated().expectHeader().valueEquals("Location", "/api/auth/users/" + username);
    }

    private WebTestClient.ResponseSpec grant(String token, String subject, String nodePath, String privilege) {
        return http.post().uri("/api/auth/grants").header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", subject, "nodePath", nodePath, "privilege", privilege)).exchange();
    }

    private WebTestClient.BodyContentSpec check(String token, String subject, String nodePath, String privilege) {
        return http.get().uri(b -> b.path("/api/auth/check").queryParam("subject", subject).queryParam("nodePath", nodePath)
                        .queryParam("privilege", privilege).build())
                .header("Authorization", "Bearer " + token).exchange().expectStatus().isOk().expectBody();
    }

    private Map<String, Long> rowCounts() {
        return Stream.of("users", "api_tokens", "`grants`", "petitions", "refresh_tokens").collect(java.util.stream.Collectors.toMap(
                t -> t, t -> db.sql("SELECT COUNT(*) FROM " + t).map(r -> r.get(0, Long.class)).one().block()));
    }
}
