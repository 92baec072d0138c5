package dev.loki.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.testsupport.ServiceJar;
import dev.loki.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Shared set-up of monitor-service's integration tests: a real OpenTSDB (standalone HBase + TSD), real
 * auth-, asset- and ptree-service jars, a real ZooKeeper (Curator's TestingServer), MariaDB and Redis.
 * Started once per test JVM; subclasses share one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class MonitorTestBase {

    /** OpenTSDB's data outlives a test run (its HBase keeps it): names are unique per run. */
    protected static final String RUN = "r" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    protected static TestingServer zk;
    protected static ServiceJar auth;
    protected static ServiceJar asset;
    protected static ServiceJar ptree;
    protected static String opentsdb;
    protected static String redisPrefix;
    protected static String database;
    protected static String admin;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        if (zk == null) {
            start();
        }
        TestInfrastructure.Redis redis = TestInfrastructure.redis();
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        registry.add("spring.r2dbc.url", () -> db.r2dbcUrl(database));
        registry.add("spring.r2dbc.username", db::user);
        registry.add("spring.r2dbc.password", db::password);
        registry.add("spring.flyway.url", () -> db.jdbcUrl(database));
        registry.add("spring.flyway.user", db::user);
        registry.add("spring.flyway.password", db::password);
        registry.add("loki.monitor.rules-interval", () -> "1s");
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("loki.redis.key-prefix", () -> redisPrefix);
        registry.add("loki.monitor.opentsdb-uri", () -> opentsdb);
        registry.add("loki.monitor.ptree-uri", ptree::baseUrl);
        registry.add("loki.monitor.asset-uri", asset::baseUrl);
        registry.add("loki.monitor.zk-connect", zk::getConnectString);
        registry.add("loki.security.auth-uri", auth::baseUrl);
        registry.add("loki.security.jwks-uri", () -> auth.baseUrl() + "/api/auth/jwks");
    }

    private static void start() throws Exception {
        opentsdb = TestInfrastructure.openTsdb();
        zk = new TestingServer(true);
        redisPrefix = TestInfrastructure.newKeyPrefix("monitor");
        database = TestInfrastructure.newDatabase("monitor");
        Map<String, String> common = TestInfrastructure.storeEnvironment(redisPrefix);
        Path keys = Files.createTempDirectory("monitor-keys");
        auth = ServiceJar.auth("monitor", redisPrefix, "monitor-admin-1", keys, Map.of());
        asset = ServiceJar.asset("monitor", redisPrefix, auth);
        Map<String, String> ptreeEnv = new HashMap<>(common);
        ptreeEnv.putAll(auth.callerEnvironment());
        ptreeEnv.putAll(Map.of("LOKI_PTREE_DB", TestInfrastructure.newDatabase("monitor_ptree"),
                "LOKI_ZK_CONNECT", zk.getConnectString(), "LOKI_ASSET_URI", asset.baseUrl()));
        ptree = ServiceJar.start("ptree-service", ptreeEnv);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                zk.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
    }

    /** Command-line properties for another monitor-service replica on the same stores; later ones win. */
    protected static String[] replicaArguments(String... overrides) {
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
                "--loki.monitor.opentsdb-uri=" + opentsdb, "--loki.monitor.ptree-uri=" + ptree.baseUrl(),
                "--loki.monitor.asset-uri=" + asset.baseUrl(), "--loki.monitor.zk-connect=" + zk.getConnectString(),
                "--loki.monitor.rules-interval=1s",
                "--loki.security.auth-uri=" + auth.baseUrl(), "--loki.security.jwks-uri=" + auth.baseUrl() + "/api/auth/jwks",
                "--spring.data.redis.host=" + TestInfrastructure.redis().host(),
                "--spring.data.redis.port=" + TestInfrastructure.redis().port(), "--loki.redis.key-prefix=" + redisPrefix,
                "--spring.r2dbc.url=" + db.r2dbcUrl(database), "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + db.password(), "--spring.flyway.url=" + db.jdbcUrl(database),
                "--spring.flyway.user=" + db.user(), "--spring.flyway.password=" + db.password()));
        args.addAll(java.util.List.of(overrides));
        // one value per property (a repeated option would be read as a comma-separated list): the last wins
        Map<String, String> byKey = new java.util.LinkedHashMap<>();
        for (String arg : args) {
            byKey.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        return byKey.values().toArray(String[]::new);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected MeterRegistry meters;

    @Autowired
    protected org.springframework.data.redis.connection.ReactiveRedisConnectionFactory redisFactory;

    protected WebTestClient http;
    protected WebTestClient authApi;
    protected WebTestClient direct;

    @BeforeEach
    void setUpClients() {
        http = client("http://127.0.0.1:" + port);
        authApi = client(auth.baseUrl());
        direct = client(opentsdb);
        if (admin == null) {
            admin = login("admin", "monitor-admin-1");
        }
    }

    protected static WebTestClient client(String base) {
        return WebTestClient.bindToServer().baseUrl(base).responseTimeout(Duration.ofSeconds(60))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
    }

    protected String login(String username, String password) {
        return authApi.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    /** An absolute URI with OpenTSDB's braces encoded (WebTestClient would read them as URI template variables). */
    protected static java.net.URI at(Object base, String pathAndQuery) {
        String root = base instanceof Integer p ? "http://127.0.0.1:" + p : base.toString();
        return java.net.URI.create(root + pathAndQuery.replace("{", "%7B").replace("}", "%7D").replace("*", "%2A"));
    }

    protected WebTestClient.ResponseSpec put(String token, java.util.List<Map<String, Object>> points) {
        return http.post().uri("/api/monitor/put?sync").header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(points).exchange();
    }

    protected static Map<String, Object> point(String metric, long timestamp, Object value, Map<String, String> tags) {
        return Map.of("metric", metric, "timestamp", timestamp, "value", value, "tags", tags);
    }
}
