package dev.loki.ptree.binding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import dev.loki.ptree.node.NodeStore;
import tools.jackson.databind.json.JsonMapper;

/** All bindings in memory (one CuratorCache on {@code {root}/bindings}), by node and by hostname. */
@Component
public class BindingView implements InitializingBean, DisposableBean {

    record Stored(double trafficRatio, boolean offline) {
    }

    private final NodeStore nodes;
    private final CuratorCache cache;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<Long, TreeMap<String, Binding>> byNode = new HashMap<>();
    private final Map<String, TreeSet<Long>> byHost = new HashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);

    BindingView(CuratorFramework zk, NodeStore nodes) {
        this.nodes = nodes;
        this.cache = CuratorCache.build(zk, nodes.bindingsRoot());
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> put(after))
                .forDeletes(this::remove)
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        if (!initialized.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bindings did not load from ZooKeeper within 60 s");
        }
    }

    private synchronized void put(ChildData data) {
        String[] parts = parts(data);
        if (parts == null || data.getData() == null || data.getData().length == 0) {
            return;
        }
        Stored stored = json.readValue(data.getData(), Stored.class);
        long nodeId = Long.parseLong(parts[0]);
        Binding binding = new Binding(nodeId, parts[1], stored.trafficRatio(), stored.offline());
        byNode.computeIfAbsent(nodeId, k -> new TreeMap<>()).put(parts[1], binding);
        byHost.computeIfAbsent(parts[1], k -> new TreeSet<>()).add(nodeId);
    }

    private synchronized void remove(ChildData data) {
        String[] parts = parts(data);
        if (parts == null) {
            return;
        }
        long nodeId = Long.parseLong(parts[0]);
        TreeMap<String, Binding> onNode = byNode.get(nodeId);
        if (onNode != null) {
            onNode.remove(parts[1]);
        }
        Set<Long> onHost = byHost.get(parts[1]);
        if (onHost != null) {
            onHost.remove(nodeId);
        }
    }

    /** {@code [nodeId, hostname]} for a binding znode, null for containers. */
    private String[] parts(ChildData data) {
        String rest = data.getPath().substring(nodes.bindingsRoot().length());
        String[] parts = rest.substring(rest.startsWith("/") ? 1 : 0).split("/");
        return parts.length == 2 ? parts : null;
    }

    public synchronized List<Binding> onNode(long nodeId) {
        return new ArrayList<>(byNode.getOrDefault(nodeId, new TreeMap<>()).values());
    }

    public synchronized boolean hasServers(long nodeId) {
        TreeMap<String, Binding> onNode = byNode.get(nodeId);
        return onNode != null && !onNode.isEmpty();
    }

    synchronized List<Long> nodesOf(String hostname) {
        return new ArrayList<>(byHost.getOrDefault(hostname, new TreeSet<>()));
    }

    @Override
    public void destroy() {
        cache.close();
    }
}
