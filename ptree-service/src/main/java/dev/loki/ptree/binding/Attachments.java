package dev.loki.ptree.binding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * Things attached to tree nodes in ZooKeeper as {@code {base}/{nodeId}/{key}} (servers, URLs), kept in
 * memory by one CuratorCache, by node and by key.
 *
 * @param <T> what one attachment znode holds
 */
final class Attachments<T> implements AutoCloseable {

    /** Builds an attachment from its node id, key and znode data. */
    interface Decoder<T> {
        T decode(long nodeId, String key, byte[] data);
    }

    private final String base;
    private final CuratorCache cache;
    private final Decoder<T> decoder;
    private final Map<Long, TreeMap<String, T>> byNode = new HashMap<>();
    private final Map<String, TreeSet<Long>> byKey = new HashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);

    Attachments(CuratorFramework zk, String base, Decoder<T> decoder) {
        this.base = base;
        this.decoder = decoder;
        this.cache = CuratorCache.build(zk, base);
    }

    void start() throws InterruptedException {
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> put(after))
                .forDeletes(this::remove)
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        if (!initialized.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(base + " did not load from ZooKeeper within 60 s");
        }
    }

    private synchronized void put(ChildData data) {
        String[] parts = parts(data);
        if (parts == null || data.getData() == null || data.getData().length == 0) {
            return;
        }
        long nodeId = Long.parseLong(parts[0]);
        byNode.computeIfAbsent(nodeId, k -> new TreeMap<>()).put(parts[1], decoder.decode(nodeId, parts[1], data.getData()));
        byKey.computeIfAbsent(parts[1], k -> new TreeSet<>()).add(nodeId);
    }

    private synchronized void remove(ChildData data) {
        String[] parts = parts(data);
        if (parts == null) {
            return;
        }
        long nodeId = Long.parseLong(parts[0]);
        TreeMap<String, T> onNode = byNode.get(nodeId);
        if (onNode != null) {
            onNode.remove(parts[1]);
        }
        TreeSet<Long> nodes = byKey.get(parts[1]);
        if (nodes != null) {
            nodes.remove(nodeId);
        }
    }

    /** {@code [nodeId, key]} for an attachment znode, null for the containers. */
    private String[] parts(ChildData data) {
        String rest = data.getPath().substring(base.length());
        String[] parts = rest.substring(rest.startsWith("/") ? 1 : 0).split("/");
        return parts.length == 2 ? parts : null;
    }

    synchronized List<T> onNode(long nodeId) {
        return new ArrayList<>(byNode.getOrDefault(nodeId, new TreeMap<>()).values());
    }

    synchronized Optional<T> get(long nodeId, String key) {
        return Optional.ofNullable(byNode.getOrDefault(nodeId, new TreeMap<>()).get(key));
    }

    synchronized List<Long> nodesOf(String key) {
        return new ArrayList<>(byKey.getOrDefault(key, new TreeSet<>()));
    }

    @Override
    public void close() {
        cache.close();
    }
}
