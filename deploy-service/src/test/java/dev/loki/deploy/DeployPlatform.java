package dev.loki.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.curator.test.TestingServer;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.devstack.Fleet;
import dev.loki.devstack.Ports;
import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;
import dev.loki.testsupport.TestInfrastructure;

/**
 * What deploy-service's integration tests run against, started once per test JVM (and stopped at its
 * exit), so every test class shares it and one Spring context: real auth-, asset- and ptree-service
 * jars on MariaDB, Redis and a ZooKeeper, and a simulated fleet of SSH hosts whose key deploy-service
 * holds and whose host keys it knows. Two IDCs, {@code dc-a} and {@code dc-b}, exist. monitor-service
 * (with an OpenTSDB) starts only when a test asks for it ({@link #monitor()}), on a port reserved up front
 * so that every class shares one deploy-service context; until then the gate finds it unreachable.
 */
public final class DeployPlatform {

    public static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    public static final String NAME = "deploytests";
    public static final int FLEET_HOSTS = 32;

    private static DeployPlatform platform;

    public final TestingServer zk;
    public final ServiceJar auth;
    public final ServiceJar asset;
    public final ServiceJar ptree;
    public final Fleet fleet;
    public final Path keys;
    public final String prefix;
    /** deploy-service's own database. */
    public final String database;
    /** Where monitor-service listens once {@link #monitor()} started it. */
    public final int monitorPort = Ports.freePort();
    private ServiceJar monitor;
    private String admin;

    private DeployPlatform() throws Exception {
        prefix = TestInfrastructure.newKeyPrefix(NAME);
        database = TestInfrastructure.newDatabase(NAME);
        zk = new TestingServer(true);
        auth = ServiceJar.auth(NAME, prefix, "deploy-admin-1", Files.createTempDirectory(NAME + "-jwt"), Map.of());
        asset = ServiceJar.asset(NAME, prefix, auth);
        Map<String, String> ptreeEnv = new HashMap<>(TestInfrastructure.storeEnvironment(prefix));
        ptreeEnv.putAll(auth.callerEnvironment());
        ptreeEnv.putAll(Map.of("LOKI_PTREE_DB", TestInfrastructure.newDatabase(NAME + "_ptree"),
                "LOKI_ZK_CONNECT", zk.getConnectString(), "LOKI_ASSET_URI", asset.baseUrl()));
        ptree = ServiceJar.start("ptree-service", ptreeEnv);
        keys = Files.createTempDirectory(NAME + "-ssh");
        KeyPair key = Fleet.clientKey(keys.resolve("deploy"));
        fleet = Fleet.start(Files.createTempDirectory(NAME + "-fleet"), FLEET_HOSTS, Ports.freePort(), List.of(key.getPublic()));
        fleet.writeKnownHosts(keys.resolve("known_hosts"));
        call("POST", asset.baseUrl() + "/api/asset/idcs", Map.of("name", "dc-a", "network", "10.61.0.0/24")).expectStatus().isCreated();
        call("POST", asset.baseUrl() + "/api/asset/idcs", Map.of("name", "dc-b", "network", "10.62.0.0/24")).expectStatus().isCreated();
    }

    public static synchronized DeployPlatform get() {
        if (platform == null) {
            try {
                platform = new DeployPlatform();
            } catch (Exception e) {
                throw new IllegalStateException("the deploy test platform did not start: " + e.getMessage(), e);
            }
            DeployPlatform started = platform;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return platform;
    }

    /** The properties of deploy-service under test; the same for every class, so they share one context. */
    public static void register(DynamicPropertyRegistry registry) {
        DeployPlatform p = get();
        p.properties(p.database).forEach((name, value) -> registry.add(name, () -> value));
    }

    /** deploy-service's settings on this platform, with its own {@code database}. */
    public Map<String, String> properties(String database) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(LokiTestProperties.database(database));
        properties.putAll(LokiTestProperties.redis(prefix));
        properties.put("loki.security.auth-uri", auth.baseUrl());
        properties.put("loki.security.jwks-uri", auth.baseUrl() + "/api/auth/jwks");
        properties.put("loki.deploy.ptree-uri", ptree.baseUrl());
        properties.put("loki.deploy.asset-uri", asset.baseUrl());
        properties.put("loki.deploy.monitor-uri", "http://127.0.0.1:" + monitorPort);
        properties.put("loki.deploy.ssh.port", Integer.toString(fleet.port()));
        properties.put("loki.deploy.ssh.key-file", keys.resolve("deploy").toString());
        properties.put("loki.deploy.ssh.known-hosts", keys.resolve("known_hosts").toString());
        return properties;
    }

    /** monitor-service on this platform's tree, with a real OpenTSDB; started on first use. */
    public synchronized ServiceJar monitor() {
        if (monitor == null) {
            Map<String, String> env = new HashMap<>(TestInfrastructure.storeEnvironment(prefix));
            env.putAll(auth.callerEnvironment());
            env.putAll(Map.of("LOKI_MONITOR_DB", TestInfrastructure.newDatabase(NAME + "_monitor"), "LOKI_ZK_CONNECT", zk.getConnectString(),
                    "LOKI_PTREE_URI", ptree.baseUrl(), "LOKI_ASSET_URI", asset.baseUrl(), "LOKI_OPENTSDB_URL", TestInfrastructure.openTsdb(),
                    "SERVER_PORT", Integer.toString(monitorPort)));
            monitor = ServiceJar.start("monitor-service", env);
        }
        return monitor;
    }

    /** The sandbox directory of fleet host {@code <name>-<n>} (as {@link #fleetNode} registers them). */
    public Path sandbox(String hostname) {
        return fleet.sandbox(Fleet.address(Integer.parseInt(hostname.substring(hostname.lastIndexOf('-') + 1)) - 1));
    }

    /**
     * Registers fleet hosts {@code from..to} (1-based; each test its own) as {@code <name>-<n>}, odd ones in
     * dc-a, even ones in dc-b, and binds them to a new node {@code /<name>}, sharing its traffic evenly; its path.
     */
    public String fleetNode(String name, int from, int to) {
        double ratio = Math.floor(1000.0 / (to - from + 1)) / 1000;
        long node = node("/", name);
        List<String> hostnames = new java.util.ArrayList<>();
        for (int i = from; i <= to; i++) {
            String hostname = name + "-" + i;
            server(hostname, i % 2 == 1 ? "dc-a" : "dc-b", Fleet.address(i - 1), "online");
            hostnames.add(hostname);
        }
        bind(node, hostnames.toArray(String[]::new));
        for (String hostname : hostnames) {
            call("PATCH", ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers/" + hostname, Map.of("trafficRatio", ratio)).expectStatus().isOk();
        }
        return "/" + name;
    }

    public synchronized String admin() {
        if (admin == null) {
            admin = token("admin", "deploy-admin-1");
        }
        return admin;
    }

    public String token(String username, String password) {
        return client().post().uri(auth.baseUrl() + "/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange().expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody().get("accessToken").toString();
    }

    public static WebTestClient client() {
        return WebTestClient.bindToServer().responseTimeout(Duration.ofSeconds(60)).build();
    }

    public WebTestClient.ResponseSpec call(String method, String uri, Object body) {
        return call(admin(), method, uri, body);
    }

    public WebTestClient.ResponseSpec call(String token, String method, String uri, Object body) {
        WebTestClient.RequestBodySpec request = client().method(HttpMethod.valueOf(method)).uri(uri).header("Authorization", "Bearer " + token);
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    public long node(String parentPath, String name) {
        return ((Number) call("POST", ptree.baseUrl() + "/api/ptree/nodes", Map.of("parentPath", parentPath, "name", name))
                .expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody().get("id")).longValue();
    }

    public void server(String hostname, String idc, String ip, String status) {
        call("POST", asset.baseUrl() + "/api/asset/servers", Map.of("hostname", hostname, "sn", "SN-" + hostname, "idc", idc,
                "privateIps", List.of(ip), "status", status)).expectStatus().isCreated();
    }

    public void bind(long node, String... hostnames) {
        call("POST", ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers", Map.of("hostnames", List.of(hostnames))).expectStatus().isCreated();
    }

    private void close() {
        fleet.close();
        for (ServiceJar jar : new ServiceJar[] {monitor, ptree, asset, auth}) {
            try {
                if (jar != null) {
                    jar.close();
                }
            } catch (Exception e) {
                // stopping: nothing left to do
            }
        }
        try {
            zk.close();
        } catch (Exception e) {
            // likewise
        }
    }
}
