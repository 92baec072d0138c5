package dev.loki.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.AlarmRaised;
import dev.loki.events.AlarmResolved;
import dev.loki.events.AlertFired;
import dev.loki.events.AlertResolved;
import dev.loki.events.EventCodec;
import dev.loki.events.EventType;
import dev.loki.events.Events;
import dev.loki.events.LokiEvent;
import dev.loki.events.ServerDeleted;
import dev.loki.events.ServerSnapshot;
import dev.loki.events.Streams;
import dev.loki.support.EventPublisher;
import dev.loki.testsupport.EventRecorder;
import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;

/**
 * What alarm-service's integration tests run against, started once per test JVM: a real auth-service
 * (who may act), asset-service (server statuses), a ptree-service on a real ZooKeeper (path changes),
 * MariaDB and Redis; every class
 * shares one Spring context. Helpers for the API and the streams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AlarmTestBase {

    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    static ServiceJar auth;
    static com.icegreen.greenmail.util.GreenMail smtp;
    static ServiceJar asset;
    static ServiceJar ptree;
    static org.apache.curator.test.TestingServer zk;
    static String prefix;
    static String database;
    static String admin;
    /** Where deploy-service listens once {@link #deploy()} started it, and the proxy alarm-service reaches it through. */
    static final int deployPort = dev.loki.devstack.Ports.freePort();
    static dev.loki.testsupport.TcpProxy deployProxy;
    static ServiceJar deploy;
    /** Where monitor-service listens once {@link #monitor()} started it (its alert rules only: no OpenTSDB behind it). */
    static final int monitorPort = dev.loki.devstack.Ports.freePort();
    static ServiceJar monitor;
    static dev.loki.devstack.Fleet fleet;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
        if (auth == null) {
            start();
        }
        properties(prefix).forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The settings of alarm-service under test, with Redis key prefix {@code prefix}: the same for a second replica. */
    static Map<String, String> properties(String prefix) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(LokiTestProperties.database(database));
        properties.putAll(LokiTestProperties.redis(prefix));
        properties.put("loki.security.auth-uri", auth.baseUrl());
        properties.put("loki.security.jwks-uri", auth.baseUrl() + "/api/auth/jwks");
        properties.put("loki.alarm.ptree-uri", ptree.baseUrl());
        properties.put("loki.alarm.asset-uri", asset.baseUrl());
        properties.put("loki.alarm.deploy-uri", "http://127.0.0.1:" + deployProxy.port());
        properties.put("loki.alarm.monitor-uri", "http://127.0.0.1:" + monitorPort);
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", Integer.toString(smtp.getSmtp().getPort()));
        // notifications within a test's patience: a 2 s group wait, retries from 200 ms
        properties.put("loki.alarm.notifications.group-wait", "2s");
        properties.put("loki.alarm.notifications.interval", "200ms");
        properties.put("loki.alarm.notifications.retry-min", "200ms");
        properties.put("loki.alarm.notifications.retry-max", "1s");
        properties.put("loki.alarm.notifications.timeout", "2s");
        return properties;
    }

    /** Another alarm-service on the same database, with Redis key prefix {@code prefix}; close it when done. */
    static org.springframework.context.ConfigurableApplicationContext replica(String prefix) {
        Map<String, String> properties = properties(prefix);
        properties.put("server.port", "0");
        return new org.springframework.boot.builder.SpringApplicationBuilder(AlarmServiceApplication.class, dev.loki.testsupport.OwnNettyResources.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    /** Once per test JVM (every class shares one context): auth-service, ptree-service on a ZooKeeper, a database, a key prefix. */
    private static void start() throws Exception {
        prefix = dev.loki.testsupport.TestInfrastructure.newKeyPrefix("alarm");
        database = dev.loki.testsupport.TestInfrastructure.newDatabase("alarm");
        auth = ServiceJar.auth("alarm", prefix, "alarm-admin-1", java.nio.file.Files.createTempDirectory("alarm-jwt"), Map.of());
        asset = ServiceJar.asset("alarm", prefix, auth);
        // a real SMTP server for the e-mail channel, on a port of its own
        smtp = new com.icegreen.greenmail.util.GreenMail(com.icegreen.greenmail.util.ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        zk = new org.apache.curator.test.TestingServer(true);
        Map<String, String> ptreeEnv = new HashMap<>(dev.loki.testsupport.TestInfrastructure.storeEnvironment(prefix));
        ptreeEnv.putAll(auth.callerEnvironment());
        ptreeEnv.putAll(Map.of("LOKI_PTREE_DB", dev.loki.testsupport.TestInfrastructure.newDatabase("alarm_ptree"),
                "LOKI_ZK_CONNECT", zk.getConnectString(), "LOKI_ASSET_URI", asset.baseUrl()));
        ptree = ServiceJar.start("ptree-service", ptreeEnv);
        deployProxy = new dev.loki.testsupport.TcpProxy("127.0.0.1", deployPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (deploy != null) {
                deploy.close();
                fleet.close();
            }
            if (monitor != null) {
                monitor.close();
            }
            deployProxy.close();
            ptree.close();
            smtp.stop();
            asset.close();
            auth.close();
            try {
                zk.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
    }

    /**
     * deploy-service on this platform's tree and servers, with a simulated fleet of 8 SSH hosts (at
     * {@link dev.loki.devstack.Fleet#address}) whose key it holds; started on first use, reached through {@link #deployProxy}.
     */
    static synchronized ServiceJar deploy() throws Exception {
        if (deploy == null) {
            Path keys = java.nio.file.Files.createTempDirectory("alarm-ssh");
            java.security.KeyPair key = dev.loki.devstack.Fleet.clientKey(keys.resolve("deploy"));
            fleet = dev.loki.devstack.Fleet.start(java.nio.file.Files.createTempDirectory("alarm-fleet"), 8, dev.loki.devstack.Ports.freePort(),
                    List.of(key.getPublic()));
            fleet.writeKnownHosts(keys.resolve("known_hosts"));
            Map<String, String> env = new HashMap<>(dev.loki.testsupport.TestInfrastructure.storeEnvironment(prefix));
            env.putAll(auth.callerEnvironment());
            env.putAll(Map.of("LOKI_DEPLOY_DB", dev.loki.testsupport.TestInfrastructure.newDatabase("alarm_deploy"), "LOKI_PTREE_URI", ptree.baseUrl(),
                    "LOKI_ASSET_URI", asset.baseUrl(), "LOKI_MONITOR_URI", "http://127.0.0.1:9", "SERVER_PORT", Integer.toString(deployPort),
                    "LOKI_DEPLOY_SSH_PORT", Integer.toString(fleet.port()), "LOKI_DEPLOY_SSH_KEY", keys.resolve("deploy").toString(),
                    "LOKI_DEPLOY_KNOWN_HOSTS", keys.resolve("known_hosts").toString()));
            deploy = ServiceJar.start("deploy-service", env);
        }
        return deploy;
    }

    /** monitor-service on this platform's tree, for its alert rules; its OpenTSDB is a closed port. Started on first use. */
    static synchronized ServiceJar monitor() {
        if (monitor == null) {
            Map<String, String> env = new HashMap<>(dev.loki.testsupport.TestInfrastructure.storeEnvironment(prefix));
            env.putAll(auth.callerEnvironment());
            env.putAll(Map.of("LOKI_MONITOR_DB", dev.loki.testsupport.TestInfrastructure.newDatabase("alarm_monitor"), "LOKI_ZK_CONNECT",
                    zk.getConnectString(), "LOKI_PTREE_URI", ptree.baseUrl(), "LOKI_ASSET_URI", asset.baseUrl(),
                    "LOKI_OPENTSDB_URL", "http://127.0.0.1:9", "SERVER_PORT", Integer.toString(monitorPort)));
            monitor = ServiceJar.start("monitor-service", env);
        }
        return monitor;
    }

    @LocalServerPort
    int port;
    @Autowired
    ReactiveRedisConnectionFactory redisFactory;
    @Autowired
    ReactiveStringRedisTemplate redis;
    @Autowired
    EventCodec codec;
    @Autowired
    DatabaseClient db;

    WebTestClient http;

    @BeforeEach
    void setUpClient() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        if (admin == null) {
            admin = login("admin", "alarm-admin-1");
        }
    }

    // ------------------------------------------------------------------ helpers

    void append(LokiEvent event) {
        append(Streams.MONITOR_ALERTS, prefix, event);
    }

    void appendAlert(String prefix, LokiEvent event) {
        append(Streams.MONITOR_ALERTS, prefix, event);
    }

    void append(String stream, String prefix, LokiEvent event) {
        new EventPublisher(redis, codec).append(prefix + stream, event).block(Duration.ofSeconds(5));
    }

    long node(String parentPath, String name) {
        return id(http(admin, HttpMethod.POST, ptree.baseUrl() + "/api/ptree/nodes", Map.of("parentPath", parentPath, "name", name))
                .expectStatus().isCreated());
    }

    WebTestClient.ResponseSpec report(String token, Map<String, Object> body) {
        return http(token, HttpMethod.POST, "/api/alarm/alarms", body);
    }

    WebTestClient.ResponseSpec http(String token, HttpMethod method, String uri, Object body) {
        WebTestClient.RequestBodySpec request = http.method(method).uri(uri).header("Authorization", "Bearer " + token);
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    static long id(WebTestClient.ResponseSpec created) {
        return ((Number) created.expectBody(JSON).returnResult().getResponseBody().get("id")).longValue();
    }

    Map<String, Object> get(long id) {
        return http.get().uri("/api/alarm/alarms/" + id).header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String query) {
        return (List<Map<String, Object>>) http.get().uri("/api/alarm/alarms" + query).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody().get("items");
    }

    long total(String query) {
        return ((Number) http.get().uri("/api/alarm/alarms" + query).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody().get("total")).longValue();
    }

    long rows() {
        return db.sql("SELECT COUNT(*) FROM alarms").map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(5))
                + db.sql("SELECT COUNT(*) FROM alarm_activity").map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(5));
    }

    static String login(String username, String password) {
        return WebTestClient.bindToServer().baseUrl(auth.baseUrl()).build().post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", username, "password", password)).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody().get("accessToken").toString();
    }
}
