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
    static String database;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        database = LokiTestProperties.registerDatabase(registry, "assetfault");
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
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        String admin = login();
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
        // what was written before is there (read from the database: the list may come from a cache)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> count("hostname = 'fault-01'") == 1);
        http.get().uri("/api/asset/servers?q=fault-").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        // what was refused was not half-written and can be written now
        assertThat(count("hostname = 'fault-02'")).isZero();
        create(http, admin, "fault-02", "SN-FAULT-2").expectStatus().isCreated();

        // a MariaDB that hangs (connections open, nothing answers): a write and a read are refused within seconds, not held
        mariaDb.hang();
        long started = System.nanoTime();
        create(http, admin, "fault-03", "SN-FAULT-3").expectStatus().isEqualTo(503).expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.type")
                .isEqualTo("https://loki.dev/problems/store-unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a write while MariaDB hangs").isLessThan(Duration.ofSeconds(5));
        long readStarted = System.nanoTime();
        http.get().uri("/api/asset/servers?q=fault-0").header("Authorization", "Bearer " + admin).exchange().expectStatus().isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - readStarted)).as("a read while MariaDB hangs").isLessThan(Duration.ofSeconds(5));
        mariaDb.down();
        mariaDb.up();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                create(http, admin, "fault-04", "SN-FAULT-4").expectStatus().isCreated());
        assertThat(count("hostname = 'fault-03'")).isZero();
    }

    /**
     * The other side of the deadline: a database that answers is never cut off, however long a statement
     * waits. A row held locked by another client for longer than the silence that declares a database
     * lost (3 s) delays an update; the update then succeeds.
     */
    @Test
    void aStatementWaitingOnALockWhileMariaDbAnswersIsNotCutOff() throws Exception {
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        String admin = login();
        Number id = (Number) create(http, admin, "lockwait-01", "SN-LOCKWAIT-1").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        TestInfrastructure.MariaDb direct = TestInfrastructure.mariaDb();
        try (java.sql.Connection holder = java.sql.DriverManager.getConnection(direct.jdbcUrl(database), direct.user(), direct.password())) {
            holder.setAutoCommit(false);
            try (java.sql.Statement lock = holder.createStatement()) {
                lock.executeQuery("SELECT id FROM servers WHERE id = " + id.longValue() + " FOR UPDATE").close();
            }
            java.util.concurrent.CompletableFuture<Integer> update = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    http.patch().uri("/api/asset/servers/" + id.longValue()).header("Authorization", "Bearer " + admin)
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("os", "locked-then-updated")).exchange()
                            .returnResult(String.class).getStatus().value());
            // the update is waiting on the lock, past the point where a hung database would have been declared lost
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(4_500)).atMost(Duration.ofSeconds(10))
                    .until(() -> !update.isDone());
            holder.commit();
            assertThat(update.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(count("hostname = 'lockwait-01' AND os = 'locked-then-updated'")).isEqualTo(1);
    }

    private static String login() {
        return WebTestClient.bindToServer().baseUrl(auth.baseUrl()).build().post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", "admin", "password", "fault-admin-1")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    private static WebTestClient.ResponseSpec create(WebTestClient http, String admin, String hostname, String sn) {
        return http.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("hostname", hostname, "sn", sn)).exchange();
    }

    private long count(String where) {
        return db.sql("SELECT COUNT(*) AS n FROM servers WHERE " + where).map(r -> r.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }
}
