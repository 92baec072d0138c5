package dev.loki.deploy.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;

/**
 * Issue 12, item 1: templates on tree nodes, with revisions, behind {@code deploy.template} — against
 * real MariaDB, Redis and a real auth-service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TemplateApiIntegrationTests {

    @TempDir
    static Path keys;

    static ServiceJar auth;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LokiTestProperties.registerDatabase(registry, "deploytpl");
        String prefix = LokiTestProperties.registerRedis(registry, "deploytpl");
        auth = ServiceJar.auth("deploytpl", prefix, "deploy-admin-1", keys, Map.of());
        registry.add("loki.security.auth-uri", auth::baseUrl);
        registry.add("loki.security.jwks-uri", () -> auth.baseUrl() + "/api/auth/jwks");
        // templates need no tree here; the path-change follower polls a ptree-service that is not there
        registry.add("loki.deploy.ptree-uri", () -> "http://127.0.0.1:9");
        registry.add("loki.deploy.asset-uri", () -> "http://127.0.0.1:9");
    }

    @AfterAll
    static void stop() {
        if (auth != null) {
            auth.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    WebTestClient http;
    static String admin;
    static String developer;

    @BeforeEach
    void clients() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        if (admin == null) {
            admin = login("admin", "deploy-admin-1");
            WebTestClient authApi = WebTestClient.bindToServer().baseUrl(auth.baseUrl()).build();
            authApi.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "dev", "password", "dev-pass-123")).exchange().expectStatus().isCreated();
            authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("subject", "user:dev", "nodePath", "/corp/web", "privilege", "deploy.template")).exchange()
                    .expectStatus().isCreated();
            developer = login("dev", "dev-pass-123");
        }
    }

    @Test
    void everySaveIsANewRevisionAndEarlierOnesStayReadable() {
        Map<?, ?> created = post(admin, script("release", "/corp/web/api", "echo one")).expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/deploy/templates/\\d+").expectBody(Map.class).returnResult().getResponseBody();
        long id = ((Number) created.get("id")).longValue();
        assertThat(created.get("revision")).isEqualTo(1);
        assertThat(created.get("createdBy")).isEqualTo("user:admin");
        // the defaults a revision carries
        assertThat(((List<Map<?, ?>>) created.get("steps")).get(0).get("timeoutSeconds")).isEqualTo(300);
        assertThat((Map<Object, Object>) created.get("batch")).containsEntry("size", 1).containsEntry("onFailure", "pause").containsEntry("maxFailures", "0");

        // a client may send back what it read, with the read-only fields, changed
        Map<String, Object> changed = new java.util.HashMap<>((Map<String, Object>) created);
        changed.put("steps", List.of(Map.of("name", "run", "command", "echo two")));
        changed.put("batch", Map.of("ramp", "1  10%   100%", "perIdcConcurrency", 2, "maxUnavailable", "25%", "maxFailures", 1));
        Map<?, ?> updated = http.put().uri("/api/deploy/templates/" + id).header("Authorization", "Bearer " + developer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(changed).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(updated.get("revision")).isEqualTo(2);
        assertThat(updated.get("updatedBy")).isEqualTo("user:dev");
        assertThat(updated.get("createdBy")).isEqualTo("user:admin");
        assertThat((Map<Object, Object>) updated.get("batch")).containsEntry("ramp", "1 10% 100%").containsEntry("maxFailures", "1");

        http.get().uri("/api/deploy/templates/" + id + "/revisions").header("Authorization", "Bearer " + developer).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[*].revision").isEqualTo(List.of(2, 1)).jsonPath("$.total").isEqualTo(2);
        http.get().uri("/api/deploy/templates/" + id + "/revisions/1").header("Authorization", "Bearer " + developer).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.steps[0].command").isEqualTo("echo one");
        http.get().uri("/api/deploy/templates?nodePath=/corp/web").header("Authorization", "Bearer " + developer).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[?(@.id == " + id + ")].revision").isEqualTo(List.of(2));

        http.delete().uri("/api/deploy/templates/" + id).header("Authorization", "Bearer " + developer).exchange().expectStatus().isNoContent();
        http.get().uri("/api/deploy/templates/" + id).header("Authorization", "Bearer " + developer).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/deploy/templates/" + id + "/revisions/2").header("Authorization", "Bearer " + developer).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.steps[0].command").isEqualTo("echo two");
    }

    @Test
    void aNodeHasOneTemplateOfAName() {
        post(admin, script("twice", "/corp/web", "true")).expectStatus().isCreated();
        post(admin, script("twice", "/corp/web", "false")).expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(admin, script("twice", "/corp/db", "true")).expectStatus().isCreated();
        assertThat(count("name = 'twice'")).isEqualTo(2);
    }

    @Test
    void changingATemplateNeedsDeployTemplateOnItsNodeAndOnTheNodeItMovesTo() {
        post(developer, script("elsewhere", "/corp/db", "true")).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("deploy.template"));
        long id = ((Number) post(developer, script("mine", "/corp/web/search", "true")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
        http.put().uri("/api/deploy/templates/" + id).header("Authorization", "Bearer " + developer).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(script("mine", "/corp/db", "true")).exchange().expectStatus().isForbidden();
        long theirs = ((Number) post(admin, script("theirs", "/corp/db", "true")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
        http.delete().uri("/api/deploy/templates/" + theirs).header("Authorization", "Bearer " + developer).exchange().expectStatus().isForbidden();
        http.put().uri("/api/deploy/templates/" + theirs).header("Authorization", "Bearer " + developer).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(script("theirs", "/corp/web", "true")).exchange().expectStatus().isForbidden();
        assertThat(count("id = " + id + " AND node_path = '/corp/web/search' AND revision = 1")).isEqualTo(1);
        assertThat(count("id = " + theirs + " AND node_path = '/corp/db' AND revision = 1")).isEqualTo(1);
    }

    static List<Object[]> badInput() {
        return List.of(
                new Object[] {Map.of("name", "x", "nodePath", "/corp/web", "type", "script", "steps", List.of()), "steps"},
                new Object[] {Map.of("name", "x", "nodePath", "/corp/web", "type", "deb", "steps", List.of(step("a", "true"))), "type"},
                new Object[] {Map.of("name", "x", "nodePath", "corp", "type", "script", "steps", List.of(step("a", "true"))), "nodePath"},
                new Object[] {Map.of("name", "", "nodePath", "/corp/web", "type", "script", "steps", List.of(step("a", "true"))), "name"},
                new Object[] {with(Map.of("batch", Map.of("ramp", "0%"))), "batch.ramp"},
                new Object[] {with(Map.of("batch", Map.of("ramp", "1 50%", "size", 2))), "batch.ramp"},
                new Object[] {with(Map.of("batch", Map.of("size", -3))), "batch.size"},
                new Object[] {with(Map.of("batch", Map.of("maxUnavailable", "0"))), "batch.maxUnavailable"},
                new Object[] {with(Map.of("batch", Map.of("maxFailures", "150%"))), "batch.maxFailures"},
                new Object[] {with(Map.of("batch", Map.of("onFailure", "retry"))), "batch.onFailure"},
                new Object[] {with(Map.of("gate", Map.of("minAvailability", 101, "bakeSeconds", 60))), "gate.minAvailability"},
                new Object[] {with(Map.of("healthCheck", Map.of("command", "true", "url", "http://x/"))), "healthCheck"},
                new Object[] {with(Map.of("parameters", Map.of("1bad", "v"))), "parameters"},
                new Object[] {with(Map.of("runUser", "Root; rm")), "runUser"},
                new Object[] {Map.of("name", "x", "nodePath", "/corp/web", "type", "script", "steps", List.of(step("a", "x".repeat(1_048_576)))), "steps[0].command"},
                new Object[] {Map.of("name", "x", "nodePath", "/corp/web", "type", "script", "steps", List.of(step("a", "true"), step("a", "false"))), "steps[1].name"},
                new Object[] {Map.of("name", "x", "nodePath", "/corp/web", "type", "java"), "java"},
                new Object[] {Map.of("name", "x", "nodePath", "/corp/web", "type", "nginx", "nginx", Map.of("upstream", "u", "configPath", "etc/x", "port", 80)), "nginx.configPath"});
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputIsA400NamingTheFieldAndStoresNothing(Map<String, Object> body, String field) {
        long before = count("TRUE");
        post(admin, body).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[*].field").value(fields -> assertThat((List<?>) fields).anyMatch(f -> f.toString().startsWith(field)));
        assertThat(count("TRUE")).isEqualTo(before);
    }

    @Test
    void junkIsA400() {
        http.post().uri("/api/deploy/templates").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": [1, {\"").exchange().expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/deploy/templates/999999").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();
        http.get().uri("/api/deploy/templates?nodePath=nope").header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest();
    }

    private static Map<String, Object> step(String name, String command) {
        return Map.of("name", name, "command", command);
    }

    private static Map<String, Object> script(String name, String nodePath, String command) {
        return Map.of("name", name, "nodePath", nodePath, "type", "script", "steps", List.of(step("run", command)));
    }

    private static Map<String, Object> with(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(script("x", "/corp/web", "true"));
        body.putAll(extra);
        return body;
    }

    private WebTestClient.ResponseSpec post(String token, Map<String, Object> body) {
        return http.post().uri("/api/deploy/templates").header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private long count(String where) {
        return db.sql("SELECT COUNT(*) AS n FROM templates WHERE " + where).map(r -> r.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }

    private static String login(String username, String password) {
        return WebTestClient.bindToServer().baseUrl(auth.baseUrl()).build().post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", username, "password", password)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }
}
