package dev.loki.opentsdb.hbase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.regionserver.BloomType;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;

/**
 * HBase in one JVM for a local OpenTSDB: an in-process ZooKeeper, one master and one region server
 * storing under {@code --data-dir} (a {@code file://} root, so data survives restarts), and
 * OpenTSDB's four tables created as its {@code create_table.sh} does. Writes
 * {@code <data-dir>/hbase.ready} once the tables can be used.
 *
 * <p>Arguments: {@code --data-dir D --zk-port N --master-port N --regionserver-port N}.
 */
public final class HBaseStandalone {

    private static final Map<String, List<String>> TABLES = Map.of(
            "tsdb", List.of("t"),
            "tsdb-uid", List.of("id", "name"),
            "tsdb-tree", List.of("t"),
            "tsdb-meta", List.of("name"));

    private HBaseStandalone() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            // HBase and ZooKeeper leave non-daemon threads behind: without an exit a failed start would hang
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path data = Path.of(required(options, "data-dir")).toAbsolutePath();
        int zkPort = Integer.parseInt(required(options, "zk-port"));
        Path ready = data.resolve("hbase.ready");
        Files.createDirectories(data);
        Files.deleteIfExists(ready);

        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.rootdir", data.resolve("hbase").toUri().toString());
        conf.set("hbase.tmp.dir", data.resolve("tmp").toString());
        conf.setBoolean("hbase.cluster.distributed", false);
        conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
        conf.set("hbase.wal.provider", "filesystem");
        conf.set("hbase.zookeeper.quorum", "127.0.0.1");
        conf.setInt("hbase.zookeeper.property.clientPort", zkPort);
        conf.setInt("hbase.master.port", Integer.parseInt(required(options, "master-port")));
        conf.setInt("hbase.regionserver.port", Integer.parseInt(required(options, "regionserver-port")));
        conf.setInt("hbase.master.info.port", -1);
        conf.setInt("hbase.regionserver.info.port", -1);
        conf.setInt("hbase.master.wait.on.regionservers.mintostart", 1);
        conf.setInt("hbase.master.wait.on.regionservers.maxtostart", 1);

        MiniZooKeeperCluster zk = new MiniZooKeeperCluster(conf);
        zk.setDefaultClientPort(zkPort);
        zk.startup(data.resolve("zk").toFile());
        LocalHBaseCluster cluster = new LocalHBaseCluster(conf, 1, 1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.shutdown();
            cluster.join();
            try {
                zk.shutdown();
            } catch (IOException e) {
                // exiting anyway
            }
        }, "hbase-shutdown"));
        cluster.startup();

        try (Connection connection = ConnectionFactory.createConnection(conf); Admin admin = connection.getAdmin()) {
            for (Map.Entry<String, List<String>> table : TABLES.entrySet()) {
                createIfMissing(admin, table.getKey(), table.getValue());
            }
        }
        Files.writeString(ready, "zk=127.0.0.1:" + zkPort + "\n");
        System.out.println("dev.loki HBase ready: ZooKeeper 127.0.0.1:" + zkPort + ", data " + data);
        cluster.join();
    }

    private static void createIfMissing(Admin admin, String name, List<String> families) throws IOException {
        TableName table = TableName.valueOf(name);
        if (admin.tableExists(table)) {
            return;
        }
        TableDescriptorBuilder builder = TableDescriptorBuilder.newBuilder(table);
        for (String family : families) {
            builder.setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(Bytes.toBytes(family))
                    .setMaxVersions(1).setBloomFilterType(BloomType.ROW).build());
        }
        admin.createTable(builder.build());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
