package dev.loki.ptree.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.api.Test;

import dev.loki.ptree.system.PtreeProperties;

/**
 * Scale benchmark for issue #4 (not part of the test suite: run it with bench/ptree-scale.sh).
 * Loads 100,000 nodes into a real ZooKeeper — one parent with 70,000 children, the rest as 30
 * product lines × 1,000 services — then measures what a new replica pays: the time for its view to
 * load the whole tree, subtree read latency (p50/p99) and ZooKeeper's watch count.
 */
class TreeScaleBenchmark {

    static final int BIG = 70_000;
    static final int LINES = 30;
    static final int PER_LINE = 1_000;

    @Test
    void hundredThousandNodes() throws Exception {
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        System.setProperty("zookeeper.forceSync", "no");
        try (TestingServer zk = new TestingServer(true)) {
            PtreeProperties properties = new PtreeProperties(zk.getConnectString(), "/loki/ptree", "http://127.0.0.1:1",
                    java.time.Duration.ofMinutes(2), java.time.Duration.ofSeconds(30), java.time.Duration.ofDays(30));
            CuratorFramework writer = client(zk);
            NodeStore store = new NodeStore(writer, properties);
            store.ensureRoot();

            long started = System.nanoTime();
            Node big = store.create(Node.ROOT_ID, "big", "company");
            Node org = store.create(Node.ROOT_ID, "org", "company");
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < BIG; i++) {
                int n = i;
                work.add(pool.submit(() -> store.create(big.id(), "n" + n, "cluster")));
            }
            for (int l = 0; l < LINES; l++) {
                Node line = store.create(org.id(), "line" + l, "product-line");
                for (int s = 0; s < PER_LINE - 1; s++) {
                    int n = s;
                    work.add(pool.submit(() -> store.create(line.id(), "svc" + n, "service")));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            double writeSeconds = (System.nanoTime() - started) / 1e9;
            int total = 3 + BIG + LINES * PER_LINE;

            // a fresh replica: its own connection and view, timed until the whole tree is in memory
            CuratorFramework reader = client(zk);
            long loadStart = System.nanoTime();
            TreeView view = new TreeView(reader, new NodeStore(reader, properties));
            view.afterPropertiesSet();
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            int loaded = view.size();

            // subtree reads: a product line with its 1,000 services (depth 1), and a single node by path
            Random random = new Random(42);
            long[] lineReads = new long[2_000];
            long[] pathReads = new long[20_000];
            for (int i = 0; i < lineReads.length; i++) {
                long t = System.nanoTime();
                long id = view.byPath("/org/line" + random.nextInt(LINES)).orElseThrow().node().id();
                view.subtree(id, 1).orElseThrow();
                lineReads[i] = System.nanoTime() - t;
            }
            for (int i = 0; i < pathReads.length; i++) {
                long t = System.nanoTime();
                view.byPath("/big/n" + random.nextInt(BIG)).orElseThrow();
                pathReads[i] = System.nanoTime() - t;
            }
            String wchs = FourLetterWordMain.send4LetterWord("127.0.0.1", zk.getPort(), "wchs");

            System.out.printf("%n| measure | value |%n|---|---|%n");
            System.out.printf("| nodes written (one parent with %,d children) | %,d in %.1f s (32 writers) |%n", BIG, total, writeSeconds);
            System.out.printf("| nodes in the new replica's view | %,d |%n", loaded);
            System.out.printf("| view load time (connect → whole tree in memory) | %.2f s |%n", loadSeconds);
            System.out.printf("| subtree read, product line + 1,000 children: p50 / p99 | %s / %s |%n", ms(lineReads, 50), ms(lineReads, 99));
            System.out.printf("| node lookup by path under the 70,000-child parent: p50 / p99 | %s / %s |%n", ms(pathReads, 50), ms(pathReads, 99));
            System.out.printf("| ZooKeeper watches (wchs, both replicas) | %s |%n", wchs.strip().replace("\n", "; "));
            System.out.printf("| heap used after load | %,d MB |%n",
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1_048_576);
            view.destroy();
            reader.close();
            writer.close();
            if (loaded != total) {
                throw new AssertionError("view holds " + loaded + " nodes, expected " + total);
            }
        }
    }

    private static CuratorFramework client(TestingServer zk) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
                .retryPolicy(new ExponentialBackoffRetry(100, 5)).sessionTimeoutMs(60_000).build();
        client.start();
        return client;
    }

    private static String ms(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long value = sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
        return String.format("%.3f ms", value / 1e6);
    }
}
