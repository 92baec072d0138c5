package dev.loki.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import dev.loki.testsupport.TcpProxy;
import dev.loki.testsupport.TestInfrastructure;

/**
 * Issue 11, the fault suite for MariaDB: asset-service reaches its database only through a proxy the
 * test can take down (every connection drops, new ones are refused) and bring back, while the shared
 * MariaDB keeps serving everyone else. Answers come within seconds as 503 problem+json, nothing written
 * before is lost, nothing is half-written, and the service recovers without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AssetMariaDbFaultIntegrationTests {

    @TempDir
    static Path keys;

    static ServiceJar auth;
    static TcpProxy mariaDb;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        String database = LokiTestProperties.registerDatabase(registry, "assetfault");
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        mariaDb = new TcpProxy(db.host(), db.port());
        // the service's connections go through the proxy; Flyway's schema at start-up goes straight to MariaDB
        registry.add("spring.r2dbc.url", () -> "r2dbc:mysql://127.0.0.1:" + mariaDb.port() + "/" + database);
        String prefix = LokiTestProperties.registerRedis(registry, "assetfault");
        auth = ServiceJar.auth("assetfault", prefix, "fault-admin-1", keys, Map.of());
        registry.add("loki.security.auth-uri", auth::baseUrl);
        registry.add("loki.security.jwks-uri", () -> auth.baseUrl() + "/api/auth/jwks");
    }

    @AfterAll
    static void stop() {
        if (mariaDb != null) {
            mariaDb.close();
        }
        if (auth != null) {
            auth.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    @Test
    void withMariaDbGoneAnswersAre503WithinSecondsNothingIsHalfWrittenAndItRecoversByItself() {
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        String admin = WebTestClient.bindToServer().baseUrl(auth.baseUrl()).build().post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", "admin", "password", "fault-admin-1")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
        create(http, admin, "fault-01", "SN-FAULT-1").expectStatus().isCreated();

        mariaDb.down();
        for (String[] call : List.of(new String[] {"GET", "/api/asset/servers"}, new String[] {"POST", "fault-02"})) {
            long started = System.nanoTime();
            WebTestClient.ResponseSpec answer = call[0].equals("GET")
                    ? http.get().uri(call[1]).header("Authorization", "Bearer " + admin).exchange()
                    : create(http, admin, call[1], "SN-FAULT-2");
            answer.expectStatus().isEqualTo(503).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/store-unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as(call[0] + " while MariaDB is gone").isLessThan(Duration.ofSeconds(5));
        }

        mariaDb.up();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                http.get().uri("/api/asset/servers?q=fault-").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk());
        // what was written before is there; what was refused was not half-written and can be written now
        assertThat(count("hostname = 'fault-01'")).isEqualTo(1);
        assertThat(count("hostname = 'fault-02'")).isZero();
        create(http, admin, "fault-02", "SN-FAULT-2").expectStatus().isCreated();
    }

    private static WebTestClient.ResponseSpec create(WebTestClient http, String admin, String hostname, String sn) {
        return http.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("hostname", hostname, "sn", sn)).exchange();
    }

    private long count(String where) {
        return db.sql("SELECT COUNT(*) AS n FROM servers WHERE " + where).map(r -> r.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }
}
