package dev.loki.ptree.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The whole tree in memory, kept current by one CuratorCache (a single persistent recursive watch
 * on {@code {root}/nodes}, not a watch per node). Reads never touch ZooKeeper. Each change from
 * ZooKeeper is applied under a write lock, and every read takes the read lock, so a reader sees a
 * node either before or after a rename or move — never in between.
 */
@Component
public class TreeView implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TreeView.class);

    /** A node and the version of its znode when it was read. */
    public record Versioned(Node node, int version) {
    }

    private final NodeStore store;
    private final CuratorCache cache;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Long, Versioned> byId = new HashMap<>();
    private final Map<Long, TreeMap<String, Long>> children = new HashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final Set<Long> cyclesReported = ConcurrentHashMap.newKeySet();

    TreeView(CuratorFramework zk, NodeStore store) {
        this.store = store;
        this.cache = CuratorCache.build(zk, store.nodesRoot());
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        store.ensureRoot();
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> apply(after))
                .forDeletes(this::remove)
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
        if (!initialized.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service tree did not load from ZooKeeper within 60 s");
        }
    }

    private void apply(ChildData data) {
        if (!isNode(data)) {
            return;
        }
        Node node = store.read(data.getData());
        lock.writeLock().lock();
        try {
            Versioned previous = byId.put(node.id(), new Versioned(node, data.getStat().getVersion()));
            if (previous != null && previous.node().parentId() != null) {
                TreeMap<String, Long> siblings = children.get(previous.node().parentId());
                if (siblings != null) {
                    siblings.remove(previous.node().name(), node.id());
                }
            }
            if (node.parentId() != null) {
                children.computeIfAbsent(node.parentId(), k -> new TreeMap<>()).put(node.name(), node.id());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void remove(ChildData data) {
        if (!isNode(data)) {
            return;
        }
        long id = Long.parseLong(data.getPath().substring(data.getPath().lastIndexOf('/') + 1));
        lock.writeLock().lock();
        try {
            Versioned gone = byId.remove(id);
            if (gone != null && gone.node().parentId() != null) {
                TreeMap<String, Long> siblings = children.get(gone.node().parentId());
                if (siblings != null) {
                    siblings.remove(gone.node().name(), id);
                }
            }
            children.remove(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Node znodes sit two levels below the nodes root (bucket/id) and carry data. */
    private boolean isNode(ChildData data) {
        String rest = data.getPath().substring(store.nodesRoot().length());
        return rest.chars().filter(c -> c == '/').count() == 2 && data.getData() != null && data.getData().length > 0;
    }

    public Optional<Versioned> byId(long id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byId.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<Versioned> byPath(String path) {
        lock.readLock().lock();
        try {
            return resolve(path).map(byId::get);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The path of a node, e.g. {@code /corp/search}. */
    public Optional<String> pathOf(long id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(path(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A node with its descendants down to {@code depth} levels, read in one consistent moment. */
    Optional<NodeView> subtree(long id, int depth) {
        lock.readLock().lock();
        try {
            Versioned v = byId.get(id);
            String path = v == null ? null : path(id);
            return path == null ? Optional.empty() : Optional.of(view(v.node(), path, depth));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The node and all its descendants, with their paths, in one consistent moment. */
    public java.util.Map<Long, String> subtreePaths(long id) {
        lock.readLock().lock();
        try {
            java.util.Map<Long, String> out = new java.util.LinkedHashMap<>();
            String path = path(id);
            if (path != null) {
                collect(id, path, out);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void collect(long id, String path, java.util.Map<Long, String> out) {
        out.put(id, path);
        for (var child : children.getOrDefault(id, new TreeMap<>()).entrySet()) {
            collect(child.getValue(), (path.equals("/") ? "" : path) + "/" + child.getKey(), out);
        }
    }

    /**
     * Nodes whose name contains {@code text} (ignoring case), shallowest first, then by path; at most
     * {@code limit}. One pass over the view, as consistent as a subtree read.
     */
    List<NodeView> search(String text, int limit) {
        String wanted = text.toLowerCase(Locale.ROOT);
        lock.readLock().lock();
        try {
            return byId.values().stream()
                    .filter(v -> !v.node().isRoot() && v.node().name().toLowerCase(Locale.ROOT).contains(wanted))
                    .map(v -> view(v.node(), path(v.node().id()), 0))
                    .filter(v -> v.path() != null)
                    .sorted(Comparator.comparingLong((NodeView v) -> v.path().chars().filter(c -> c == '/').count())
                            .thenComparing(NodeView::path))
                    .limit(limit)
                    .toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean hasChildren(long id) {
        lock.readLock().lock();
        try {
            TreeMap<String, Long> kids = children.get(id);
            return kids != null && !kids.isEmpty();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * {@code id} and its ancestors up to the root with the versions this view read, nearest first; empty
     * if the node is missing or does not reach the root (a cycle, or a parent not loaded yet).
     */
    List<Versioned> selfAndAncestors(long id) {
        lock.readLock().lock();
        try {
            List<Versioned> chain = new ArrayList<>();
            Versioned v = byId.get(id);
            while (v != null && chain.size() <= byId.size()) {
                chain.add(v);
                if (v.node().parentId() == null) {
                    return chain;
                }
                v = byId.get(v.node().parentId());
            }
            if (v != null) {
                reportCycle(id);
            }
            return List.of();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether {@code candidate} is {@code ancestor} or lies below it (false if it does not reach the root). */
    boolean isWithin(long candidate, long ancestor) {
        return selfAndAncestors(candidate).stream().anyMatch(v -> v.node().id() == ancestor);
    }

    int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private Optional<Long> resolve(String path) {
        if (path.equals("/")) {
            return Optional.of(Node.ROOT_ID);
        }
        long at = Node.ROOT_ID;
        for (String name : path.substring(1).split("/")) {
            TreeMap<String, Long> kids = children.get(at);
            Long next = kids == null ? null : kids.get(name);
            if (next == null) {
                return Optional.empty();
            }
            at = next;
        }
        return Optional.of(at);
    }

    /** The node's path, or null if it is missing or does not reach the root (a cycle is reported, never followed). */
    private String path(long id) {
        List<String> names = new ArrayList<>();
        Versioned v = byId.get(id);
        while (v != null && v.node().parentId() != null) {
            if (names.size() > byId.size()) {
                reportCycle(id);
                return null;
            }
            names.add(v.node().name());
            v = byId.get(v.node().parentId());
        }
        if (v == null) {
            return null;
        }
        Collections.reverse(names);
        return "/" + String.join("/", names);
    }

    /**
     * A parent cycle cannot be written through this service (moves check their new ancestors' versions
     * in the same transaction), but a tree edited by hand could hold one: its nodes are left out of every
     * answer and named in the log, and the rest of the tree is served.
     */
    private void reportCycle(long id) {
        if (cyclesReported.add(id)) {
            log.error("node {} does not reach the root: its parents form a cycle in ZooKeeper; it is left out of the tree", id);
        }
    }

    private NodeView view(Node node, String path, int depth) {
        List<NodeView> kids = null;
        if (depth > 0) {
            kids = new ArrayList<>();
            for (Long child : children.getOrDefault(node.id(), new TreeMap<>()).values()) {
                Versioned c = byId.get(child);
                if (c != null) {
                    kids.add(view(c.node(), (path.equals("/") ? "" : path) + "/" + c.node().name(), depth - 1));
                }
            }
        }
        return new NodeView(node.id(), node.isRoot() ? "/" : node.name(), path, node.parentId(), node.type(), kids);
    }

    @Override
    public void destroy() {
        cache.close();
    }
}
