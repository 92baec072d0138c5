package dev.loki.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.EventCodec;
import dev.loki.events.LokiEvent;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.TestInfrastructure;

/**
 * Issue 11, items 1, 2, 3, 11 and 12: auth-service is the authority on who may do what now — not a JWT
 * claim made up to 15 minutes ago, not a privilege the granter lacks, not an account deleted since.
 */
// no ptree-service here: port 1 is never listened on
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"loki.auth.admin-password=admin-secret-1", "loki.auth.ptree-uri=http://127.0.0.1:1"})
class AuthorityIntegrationTests {

    @TempDir
    static Path keys;

    static String database;
    static String redisPrefix;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        database = LokiTestProperties.registerDatabase(registry, "authority");
        redisPrefix = LokiTestProperties.registerRedis(registry, "authority");
        registry.add("loki.auth.key-dir", () -> keys.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    ReactiveRedisConnectionFactory redis;

    @Autowired
    LokiProperties loki;

    WebTestClient http;
    String admin;

    @BeforeEach
    void setUp() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
        admin = login("admin", "admin-secret-1");
    }

    @Test
    void item1_aDisabledOwnersApiTokensStopWorking() {
        createUser("tokyo", false);
        String tokyo = login("tokyo", "tokyo-pass-12");
        grant(admin, "user:tokyo", "/t1", "grant.manage").expectStatus().isCreated();
        grant(admin, "user:tokyo", "/t1", "deploy.run").expectStatus().isCreated();
        String secret = http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + tokyo)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "ci")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        Map<?, ?> exchanged = exchange(secret).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String tokenJwt = exchanged.get("accessToken").toString();
        String tokenSubject = exchanged.get("subject").toString();
        grant(tokyo, tokenSubject, "/t1/app", "deploy.run").expectStatus().isCreated();
        check(admin, tokenSubject, "/t1/app", "deploy.run", true);

        patchUser("tokyo", Map.of("enabled", false)).expectStatus().isOk();

        exchange(secret).expectStatus().isUnauthorized().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // an internal JWT obtained before holds nothing now, and neither does the owner's session
        check(admin, tokenSubject, "/t1/app", "deploy.run", false);
        check(admin, "user:tokyo", "/t1/app", "deploy.run", false);
        grant(tokyo, "user:admin", "/t1/app", "deploy.run").expectStatus().isForbidden();
        http.get().uri("/api/auth/me").header("Authorization", "Bearer " + tokenJwt).exchange().expectStatus().isOk();

        patchUser("tokyo", Map.of("enabled", true)).expectStatus().isOk();
        exchange(secret).expectStatus().isOk();
        check(admin, tokenSubject, "/t1/app", "deploy.run", true);
    }

    @Test
    void item2_aDemotedAdminsTokenCarriesNoAdminRights() {
        createUser("former", true);
        String former = login("former", "former-pass-12");
        createUser("victim", false);
        grant(former, "user:victim", "/d2", "node.manage").expectStatus().isCreated();

        patchUser("former", Map.of("admin", false)).expectStatus().isOk();

        // the access token still says admin=true and is valid for minutes: none of it counts
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + former).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "sleeper", "password", "sleeper-pass-1", "admin", true)).exchange()
                .expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/auth/users").header("Authorization", "Bearer " + former).exchange().expectStatus().isForbidden();
        patch(former, "victim", Map.of("admin", true)).expectStatus().isForbidden();
        grant(former, "user:victim", "/d2", "grant.manage").expectStatus().isForbidden();
        check(former, "user:former", "/", "node.manage", false);
        http.get().uri("/api/auth/tokens?owner=victim").header("Authorization", "Bearer " + former).exchange().expectStatus().isForbidden();

        // deleted: the same
        createUser("gone", true);
        String gone = login("gone", "gone-pass-12");
        http.delete().uri("/api/auth/users/gone").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + gone).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "sleeper", "password", "sleeper-pass-1", "admin", true)).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/auth/users/sleeper").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();
    }

    @Test
    void item3_grantManageGivesOnlyWhatItsHolderHoldsAndNeverToThemselves() {
        createUser("ivan", false);
        createUser("jo", false);
        grant(admin, "user:ivan", "/g3", "grant.manage").expectStatus().isCreated();
        String ivan = login("ivan", "ivan-pass-12");

        // grant.manage alone: nothing else to give
        grant(ivan, "user:jo", "/g3/app", "node.manage").expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions.assertThat(d.toString()).contains("node.manage"));
        grant(ivan, "user:ivan", "/g3", "node.manage").expectStatus().isForbidden();
        grant(ivan, "user:ivan", "/", "grant.manage").expectStatus().isForbidden();
        check(admin, "user:jo", "/g3/app", "node.manage", false);

        // what ivan holds on the node he may pass on, below it only
        grant(admin, "user:ivan", "/g3", "deploy.run").expectStatus().isCreated();
        grant(ivan, "user:jo", "/g3/app", "deploy.run").expectStatus().isCreated();
        grant(ivan, "user:jo", "/other", "deploy.run").expectStatus().isForbidden();
        check(admin, "user:jo", "/g3/app", "deploy.run", true);

        // no self-approval: ivan's own petition waits for someone else
        Number own = petition(ivan, "/g3/app", "deploy.template");
        decide(ivan, own, "approve").expectStatus().isForbidden();
        grant(admin, "user:ivan", "/g3", "deploy.template").expectStatus().isCreated();
        decide(ivan, own, "approve").expectStatus().isForbidden();
        // nor through a token of one's own
        String secret = http.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + ivan)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "own")).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        String ivanToken = exchange(secret).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                .get("accessToken").toString();
        Number viaToken = petition(ivanToken, "/g3/app", "monitor.manage");
        decide(ivan, viaToken, "approve").expectStatus().isForbidden();

        // a petition for more than the approver holds is not theirs to approve
        String jo = login("jo", "jo-pass-12");
        Number more = petition(jo, "/g3/app", "node.manage");
        decide(ivan, more, "approve").expectStatus().isForbidden();
        check(admin, "user:jo", "/g3/app", "node.manage", false);
        Number fitting = petition(jo, "/g3/app", "deploy.template");
        decide(ivan, fitting, "approve").expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("approved");
        check(admin, "user:jo", "/g3/app", "deploy.template", true);

        // revoking is bounded the same way: ivan cannot take away what he could not give
        createUser("kai", false);
        long kaiGrant = ((Number) grant(admin, "user:kai", "/g3/app", "node.manage").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
        http.delete().uri("/api/auth/grants/" + kaiGrant).header("Authorization", "Bearer " + ivan).exchange().expectStatus().isForbidden();
        check(admin, "user:kai", "/g3/app", "node.manage", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void item13_grantsGivenAndRevokedOnANodeAboveOrBelowAreItsRecentChanges() {
        java.time.Instant since = java.time.Instant.now().minusSeconds(5);
        createUser("lia", false);
        grant(admin, "user:lia", "/g13", "alarm.manage").expectStatus().isCreated();
        long below = ((Number) grant(admin, "user:lia", "/g13/web/api", "deploy.run").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
        grant(admin, "user:lia", "/g13x", "deploy.run").expectStatus().isCreated();
        http.delete().uri("/api/auth/grants/" + below).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        String window = "&since=" + since + "&until=" + java.time.Instant.now().plusSeconds(1);
        java.util.List<Map<String, Object>> changes = (java.util.List<Map<String, Object>>) recentGrants("?path=/g13/web" + window)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("changes");
        org.assertj.core.api.Assertions.assertThat(changes).extracting(c -> c.get("action") + " " + c.get("privilege") + " " + c.get("nodePath"))
                .containsExactly("revoked deploy.run /g13/web/api", "granted deploy.run /g13/web/api", "granted alarm.manage /g13");
        org.assertj.core.api.Assertions.assertThat(changes).allSatisfy(c -> org.assertj.core.api.Assertions.assertThat(c)
                .containsEntry("subject", "user:lia").containsEntry("actor", "user:admin"));
        recentGrants("?path=g13" + window).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("path");
        recentGrants("?path=/g13&since=" + java.time.Instant.now() + "&until=" + since).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("until");
        http.get().uri(dev.loki.events.InternalApi.RECENT_GRANTS + "?path=/g13" + window).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isForbidden();
    }

    private WebTestClient.ResponseSpec recentGrants(String query) {
        return http.get().uri(dev.loki.events.InternalApi.RECENT_GRANTS + query)
                .header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).exchange();
    }

    @Test
    void item11_aDeletedAdminAccountIsNotRecreatedAtTheNextStart() {
        createUser("root2", true);
        String root2 = login("root2", "root2-pass-12");
        http.delete().uri("/api/auth/users/admin").header("Authorization", "Bearer " + root2).exchange().expectStatus().isNoContent();
        try {
            TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
            try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(AuthServiceApplication.class).run(
                    "--server.port=0", "--loki.auth.admin-password=admin-secret-1", "--loki.auth.key-dir=" + keys,
                    "--spring.r2dbc.url=" + db.r2dbcUrl(database), "--spring.r2dbc.username=" + db.user(),
                    "--spring.r2dbc.password=" + db.password(), "--spring.flyway.url=" + db.jdbcUrl(database),
                    "--spring.flyway.user=" + db.user(), "--spring.flyway.password=" + db.password(),
                    "--spring.data.redis.host=" + TestInfrastructure.redis().host(),
                    "--spring.data.redis.port=" + TestInfrastructure.redis().port(), "--loki.redis.key-prefix=" + redisPrefix)) {
                WebTestClient other = WebTestClient.bindToServer()
                        .baseUrl("http://127.0.0.1:" + restarted.getEnvironment().getProperty("local.server.port")).build();
                other.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("username", "admin", "password", "admin-secret-1")).exchange().expectStatus().isUnauthorized();
                other.get().uri("/api/auth/users/admin").header("Authorization", "Bearer " + root2).exchange().expectStatus().isNotFound();
            }
        } finally {
            // the other tests of this class sign in as admin
            http.post().uri("/api/auth/users").header("Authorization", "Bearer " + root2).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "admin", "password", "admin-secret-1", "admin", true)).exchange()
                    .expectStatus().isCreated();
        }
    }

    @Test
    void item12_hugePathsAreA400NamingTheFieldNeverAStackOverflow() {
        String huge = "/a".repeat(5_000);
        grant(admin, "user:admin", huge, "deploy.run").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("nodePath");
        http.get().uri(b -> b.path("/api/auth/check").queryParam("nodePath", "/" + "b".repeat(600)).queryParam("privilege", "deploy.run").build())
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("nodePath");
        grant(admin, "user:admin", "/ok", "root.manage").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("privilege");
    }

    @Test
    void item22_anOversizedArrayIsAShortAnswerNamingTheFieldAndStoresNothing() {
        List<String> groups = java.util.stream.IntStream.range(0, 20_000).mapToObj(i -> "Bad Group " + i).toList();
        String body = http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "arrays", "password", "arrays-pass-12", "groups", groups)).exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        org.assertj.core.api.Assertions.assertThat(body).hasSizeLessThan(10_000).contains("\"field\":\"groups\"").contains("\"errorCount\":20001");
        http.get().uri("/api/auth/users/arrays").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();
    }

    // ------------------------------------------------------------------ helpers

    private String login(String username, String password) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    private void createUser(String username, boolean isAdmin) {
        http.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", username + "-pass-12", "admin", isAdmin)).exchange()
                .expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec patchUser(String username, Map<String, Object> body) {
        return patch(admin, username, body);
    }

    private WebTestClient.ResponseSpec patch(String token, String username, Map<String, Object> body) {
        return http.patch().uri("/api/auth/users/" + username).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec exchange(String secret) {
        return http.post().uri(dev.loki.events.InternalApi.TOKEN_EXCHANGE).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", secret)).exchange();
    }

    private WebTestClient.ResponseSpec grant(String token, String subject, String nodePath, String privilege) {
        return http.post().uri("/api/auth/grants").header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("subject", subject, "nodePath", nodePath, "privilege", privilege)).exchange();
    }

    private void check(String token, String subject, String nodePath, String privilege, boolean allowed) {
        http.get().uri(b -> b.path("/api/auth/check").queryParam("subject", subject).queryParam("nodePath", nodePath)
                        .queryParam("privilege", privilege).build())
                .header("Authorization", "Bearer " + token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.allowed").isEqualTo(allowed);
    }

    private Number petition(String token, String nodePath, String privilege) {
        return (Number) http.post().uri("/api/auth/petitions").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("nodePath", nodePath, "privilege", privilege, "reason", "on call"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private WebTestClient.ResponseSpec decide(String token, Number id, String action) {
        return http.post().uri("/api/auth/petitions/" + id + "/" + action).header("Authorization", "Bearer " + token).exchange();
    }
}
