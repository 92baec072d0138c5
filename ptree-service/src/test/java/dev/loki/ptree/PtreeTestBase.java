package dev.loki.ptree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;
import dev.loki.testsupport.TestInfrastructure;

/**
 * Shared set-up of ptree-service's integration tests: a real ZooKeeper (Curator's TestingServer), a
 * real auth-service issuing tokens and answering permission checks, a real asset-service, MariaDB for
 * the change history. Started once per test JVM; every subclass shares the one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class PtreeTestBase {

    protected static TestingServer zk;
    protected static ServiceJar auth;
    protected static ServiceJar asset;
    protected static String database;
    protected static String redisPrefix;
    protected static String admin;
    /** Chosen before anything starts: auth-service follows this service's path-change log there. */
    protected static int ptreePort;
    /** auth-service's actuator port (metrics), chosen likewise. */
    protected static int authManagementPort;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        if (zk == null) {
            start();
        }
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        TestInfrastructure.Redis redis = TestInfrastructure.redis();
        registry.add("spring.r2dbc.url", () -> db.r2dbcUrl(database));
        registry.add("spring.r2dbc.username", db::user);
        registry.add("spring.r2dbc.password", db::password);
        registry.add("spring.flyway.url", () -> db.jdbcUrl(database));
        registry.add("spring.flyway.user", db::user);
        registry.add("spring.flyway.password", db::password);
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("loki.redis.key-prefix", () -> redisPrefix);
        registry.add("server.port", () -> ptreePort);
        registry.add("loki.ptree.asset-uri", asset::baseUrl);
        registry.add("loki.ptree.zk-connect", zk::getConnectString);
        // the sweeper's schedule stays out of the way of other tests; its test runs a sweep itself
        registry.add("loki.ptree.sweep-interval", () -> "1h");
        registry.add("loki.security.auth-uri", auth::baseUrl);
        registry.add("loki.security.jwks-uri", () -> auth.baseUrl() + "/api/auth/jwks");
    }

    private static void start() throws Exception {
        zk = new TestingServer(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                zk.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        database = TestInfrastructure.newDatabase("ptree");
        redisPrefix = TestInfrastructure.newKeyPrefix("ptree");
        Path keys = Files.createTempDirectory("ptree-keys");
        ptreePort = dev.loki.devstack.Ports.freePort();
        authManagementPort = dev.loki.devstack.Ports.freePort();
        auth = ServiceJar.auth("ptree", redisPrefix, "ptree-admin-1", keys, Map.of("LOKI_PTREE_URI", "http://127.0.0.1:" + ptreePort,
                "LOKI_PATH_CHANGES_POLL_INTERVAL", "1s", "LOKI_MANAGEMENT_PORT", Integer.toString(authManagementPort)));
        asset = ServiceJar.asset("ptree", redisPrefix, auth);
    }

    /** Command-line properties for another ptree-service replica on the same ZooKeeper, database and Redis. */
    protected static String[] replicaArguments() {
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        return new String[] {"--server.port=0", "--loki.ptree.zk-connect=" + zk.getConnectString(),
                "--loki.ptree.asset-uri=" + asset.baseUrl(),
                "--loki.security.auth-uri=" + auth.baseUrl(), "--loki.security.jwks-uri=" + auth.baseUrl() + "/api/auth/jwks",
                "--spring.data.redis.host=" + TestInfrastructure.redis().host(),
                "--spring.data.redis.port=" + TestInfrastructure.redis().port(),
                "--loki.redis.key-prefix=" + redisPrefix,
                "--spring.r2dbc.url=" + db.r2dbcUrl(database), "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + db.password(), "--spring.flyway.url=" + db.jdbcUrl(database),
                "--spring.flyway.user=" + db.user(), "--spring.flyway.password=" + db.password()};
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected ReactiveRedisConnectionFactory redis;

    protected WebTestClient http;
    protected WebTestClient authApi;

    @BeforeEach
    void setUpClients() {
        http = client("http://127.0.0.1:" + port);
        authApi = client(auth.baseUrl());
        if (admin == null) {
            admin = login("admin", "ptree-admin-1");
        }
    }

    protected static WebTestClient client(String base) {
        return WebTestClient.bindToServer().baseUrl(base).responseTimeout(Duration.ofSeconds(20)).build();
    }

    protected String login(String username, String password) {
        return authApi.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    /** Creates a user holding {@code privilege} on {@code nodePath} (none when null); answers a token of theirs. */
    protected String user(String username, String nodePath, String privilege) {
        authApi.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", username + "-pass-12")).exchange().expectStatus().isCreated();
        if (nodePath != null) {
            authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("subject", "user:" + username, "nodePath", nodePath, "privilege", privilege)).exchange()
                    .expectStatus().isCreated();
        }
        return login(username, username + "-pass-12");
    }

    protected WebTestClient.ResponseSpec post(String token, String parentPath, String name) {
        return http.post().uri("/api/ptree/nodes").header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("parentPath", parentPath, "name", name)).exchange();
    }

    protected long create(String parentPath, String name) {
        Map<?, ?> node = post(admin, parentPath, name).expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/ptree/nodes/\\d+")
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) node.get("id")).longValue();
    }

    protected long idOf(String path) {
        return ((Number) http.get().uri("/api/ptree/nodes?path=" + path).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
    }
}
