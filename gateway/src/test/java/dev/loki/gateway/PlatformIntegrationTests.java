package dev.loki.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;

/** The platform as a user sees it: the gateway in front of the real auth-service and asset-service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "LOKI_RATE_LIMIT_PER_SECOND=1000", "LOKI_RATE_LIMIT_BURST=2000", "loki.gateway.upstream-timeout=60s"})
class PlatformIntegrationTests {

    @TempDir
    static Path keys;

    static ServiceJar auth;
    static ServiceJar asset;

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        String prefix = LokiTestProperties.registerRedis(registry, "platform");
        auth = ServiceJar.auth("platform", prefix, "platform-admin-1", keys, Map.of());
        asset = ServiceJar.asset("platform", prefix, auth);
        registry.add("LOKI_AUTH_URI", auth::baseUrl);
        registry.add("LOKI_JWKS_URI", () -> auth.baseUrl() + "/api/auth/jwks");
        registry.add("LOKI_ASSET_URI", asset::baseUrl);
    }

    @AfterAll
    static void stop() {
        asset.close();
        auth.close();
    }

    @LocalServerPort
    int port;

    WebTestClient http;
    String admin;

    @BeforeEach
    void login() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(90))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build();
        admin = http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", "platform-admin-1")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    @Test
    void serverLifecycleThroughTheGateway() {
        post("/api/asset/idcs", admin, Map.of("name", "gw", "network", "10.90.0.0/16")).expectStatus().isCreated();
        Map<String, Object> body = Map.of("hostname", "gw-web01", "sn", "SN-GW-1", "idc", "gw", "privateIps", List.of("10.90.0.10"));
        Map<?, ?> created = post("/api/asset/servers", admin, body).expectStatus().isCreated()
                .expectHeader().exists("Location").expectBody(Map.class).returnResult().getResponseBody();
        Object id = created.get("id");

        post("/api/asset/servers", admin, Map.of("hostname", "gw-web01", "sn", "SN-GW-2")).expectStatus().isEqualTo(409);
        post("/api/asset/servers", admin, Map.of("hostname", "gw-web02", "sn", "SN-GW-1")).expectStatus().isEqualTo(409);
        post("/api/asset/servers", admin, Map.of("hostname", "gw-web03", "sn", "SN-GW-3", "privateIps", List.of("999.1.1.1")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("privateIps[0]");
        http.patch().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "online")).exchange().expectStatus().isOk();
        http.patch().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", "creating")).exchange().expectStatus().isEqualTo(409);
        http.get().uri("/api/asset/servers?idc=gw&status=online&size=10").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].hostname").isEqualTo("gw-web01");
        http.delete().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        http.get().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aBigCsvImportPassesTheGatewayAndAnApiTokenWithoutAssetManageOnlyReads() {
        post("/api/asset/idcs", admin, Map.of("name", "gwbulk", "network", "10.91.0.0/16")).expectStatus().isCreated();
        StringBuilder csv = new StringBuilder("hostname,sn,idc,privateIps,os\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append("gwbulk").append(String.format("%05d", i)).append(",SN-GWBULK-").append(i).append(",gwbulk,10.91.")
                    .append(i / 250).append('.').append(i % 250 + 1).append(",Debian GNU/Linux 12 (bookworm) x86_64 with a long name\n");
        }
        assertThat(csv.length()).isGreaterThan(1_000_000);
        http.post().uri("/api/asset/servers/import").header("Authorization", "Bearer " + admin).contentType(MediaType.valueOf("text/csv"))
                .bodyValue(csv.toString()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.created").isEqualTo(10_000).jsonPath("$.errors.length()").isEqualTo(0);

        String secret = post("/api/auth/tokens", admin, Map.of("name", "reader")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        http.get().uri("/api/asset/servers?idc=gwbulk&size=5").header("Authorization", "Bearer " + secret).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(10_000);
        post("/api/asset/servers", secret, Map.of("hostname", "nope", "sn", "SN-NOPE")).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post("/api/asset/servers/register", secret, Map.of("hostname", "nope", "sn", "SN-NOPE")).expectStatus().isForbidden();
    }

    private WebTestClient.ResponseSpec post(String uri, String token, Object body) {
        return http.post().uri(uri).header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }
}
