package dev.loki.ptree.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.springframework.stereotype.Component;

import dev.loki.ptree.system.PtreeProperties;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the tree to ZooKeeper, one znode per node, every change one multi-op transaction:
 *
 * <pre>
 * {root}/nodes/{id / 1000}/{id}     the node (JSON): id, name, parentId, type, createdAt
 * {root}/names/{parentId}/{name}     sibling-name index: creating it fails if the name is taken
 * {root}/names/{id}                  container of the node's children names: deleting it fails
 *                                    while the node has children
 * {root}/ids/n-0000000042            sequential znodes that hand out ids (deleted at once)
 * </pre>
 *
 * A rename or move changes one node znode (and the name index) atomically, so every reader sees the
 * whole subtree under its old path or its new one, never half of it. Blocking calls: run them on
 * {@code boundedElastic}.
 */
@Component
public class NodeStore {

    private static final int BUCKET = 1000;
    private static final long FIRST_ID = 100;

    private final CuratorFramework zk;
    private final String root;
    private final JsonMapper json = JsonMapper.builder().build();

    NodeStore(CuratorFramework zk, PtreeProperties properties) {
        this.zk = zk;
        this.root = properties.zkRoot();
    }

    String nodesRoot() {
        return root + "/nodes";
    }

    /** Creates the root node {@code /} unless it exists (safe to run on every replica at start-up). */
    void ensureRoot() throws Exception {
        Node rootNode = new Node(Node.ROOT_ID, "", null, "root", Times.now());
        for (String path : List.of(nodePath(Node.ROOT_ID), namesOf(Node.ROOT_ID))) {
            try {
                zk.create().creatingParentContainersIfNeeded()
                        .forPath(path, path.equals(nodePath(Node.ROOT_ID)) ? bytes(rootNode) : new byte[0]);
            } catch (KeeperException.NodeExistsException e) {
                // another replica (or an earlier start) made it
            }
        }
        zk.create().orSetData().creatingParentContainersIfNeeded().forPath(root + "/ids", new byte[0]);
    }

    Node create(long parentId, String name, String type) throws Exception {
        return insert(new Node(nextId(), name, parentId, type, Times.now()));
    }

    /**
     * Puts a deleted node back under its old id (ids only grow, so nobody else got it meanwhile); the
     * parent must exist and the name must be free.
     */
    Node restore(Node node) throws Exception {
        return insert(node);
    }

    private Node insert(Node node) throws Exception {
        long id = node.id();
        long parentId = node.parentId();
        String name = node.name();
        ensureBucket(id);
        try {
            zk.transaction().forOperations(
                    zk.transactionOp().check().forPath(nodePath(parentId)),
                    zk.transactionOp().create().forPath(nameEntry(parentId, name), Long.toString(id).getBytes(StandardCharsets.UTF_8)),
                    zk.transactionOp().create().forPath(namesOf(id)),
                    zk.transactionOp().create().forPath(nodePath(id), bytes(node)));
        } catch (KeeperException.NodeExistsException e) {
            throw Problems.conflict("A node named '" + name + "' already exists there.");
        } catch (KeeperException.NoNodeException e) {
            throw Problems.notFound("Parent node", parentId);
        }
        return node;
    }

    /**
     * Renames and/or moves {@code node} (as read at {@code version}); 409 if it changed meanwhile.
     * {@code newAncestry} is the new parent and its ancestors up to the root with the versions the caller
     * checked for cycles: a move fails if any of them moved (or changed) since, so two opposite moves
     * sent at once cannot both commit and make a parent cycle. {@code logEntry} (the path-change log's
     * record of it) commits with the change or not at all.
     */
    Node update(Node node, int version, String newName, long newParentId, List<TreeView.Versioned> newAncestry, CuratorOp logEntry)
            throws Exception {
        Node updated = new Node(node.id(), newName, newParentId, node.type(), node.createdAt());
        List<CuratorOp> ops = new ArrayList<>();
        if (newParentId == node.parentId()) {
            ops.add(zk.transactionOp().check().forPath(nodePath(newParentId)));
        } else {
            if (newAncestry.isEmpty() || newAncestry.get(0).node().id() != newParentId) {
                throw Problems.conflict("The new parent changed while this request ran; read it again and retry.");
            }
            for (TreeView.Versioned ancestor : newAncestry) {
                ops.add(zk.transactionOp().check().withVersion(ancestor.version()).forPath(nodePath(ancestor.node().id())));
            }
        }
        ops.add(zk.transactionOp().delete().forPath(nameEntry(node.parentId(), node.name())));
        ops.add(zk.transactionOp().create().forPath(nameEntry(newParentId, newName), Long.toString(node.id()).getBytes(StandardCharsets.UTF_8)));
        ops.add(zk.transactionOp().setData().withVersion(version).forPath(nodePath(node.id()), bytes(updated)));
        ops.add(logEntry);
        try {
            zk.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            throw Problems.conflict("A node named '" + newName + "' already exists there.");
        } catch (KeeperException.NoNodeException e) {
            throw Problems.notFound("Node", newParentId);
        } catch (KeeperException.BadVersionException e) {
            throw Problems.conflict("The node changed while this request ran; read it again and retry.");
        }
        return updated;
    }

    /** Deletes {@code node} (as read at {@code version}) and records {@code logEntry} in the same transaction. */
    void delete(Node node, int version, CuratorOp logEntry) throws Exception {
        List<CuratorOp> ops = new ArrayList<>(List.of(
                zk.transactionOp().delete().forPath(nameEntry(node.parentId(), node.name())),
                zk.transactionOp().delete().forPath(namesOf(node.id())),
                zk.transactionOp().delete().withVersion(version).forPath(nodePath(node.id())),
                logEntry));
        for (String container : List.of(bindingsOf(node.id()), urlsOf(node.id()))) {
            if (zk.checkExists().forPath(container) != null) {
                // fails while servers or URLs are bound: nothing can slip in between the check and the delete
                ops.add(zk.transactionOp().delete().forPath(container));
            }
        }
        try {
            zk.transaction().forOperations(ops);
        } catch (KeeperException.NotEmptyException e) {
            throw Problems.conflict("The node has children, bound servers or bound URLs; move, delete or unbind them first.");
        } catch (KeeperException.BadVersionException e) {
            throw Problems.conflict("The node changed while this request ran; read it again and retry.");
        } catch (KeeperException.NoNodeException e) {
            throw Problems.notFound("Node", node.id());
        }
    }

    /** The znode version of a node, for optimistic updates. */
    int version(long id) throws Exception {
        Stat stat = zk.checkExists().forPath(nodePath(id));
        if (stat == null) {
            throw Problems.notFound("Node", id);
        }
        return stat.getVersion();
    }

    Node read(byte[] data) {
        return json.readValue(data, Node.class);
    }

    private long nextId() throws Exception {
        String created = zk.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(root + "/ids/n-");
        zk.delete().quietly().forPath(created);
        return FIRST_ID + Long.parseLong(created.substring(created.lastIndexOf('-') + 1));
    }

    private void ensureBucket(long id) throws Exception {
        String bucket = nodesRoot() + "/" + (id / BUCKET);
        if (zk.checkExists().forPath(bucket) == null) {
            try {
                zk.create().creatingParentContainersIfNeeded().forPath(bucket);
            } catch (KeeperException.NodeExistsException e) {
                // made concurrently
            }
        }
    }

    private byte[] bytes(Node node) {
        return json.writeValueAsBytes(node);
    }

    public String nodePath(long id) {
        return nodesRoot() + "/" + (id / BUCKET) + "/" + id;
    }

    /** Container of the servers bound to a node: {@code {root}/bindings/{id}/{hostname}}. */
    public String bindingsOf(long id) {
        return root + "/bindings/" + id;
    }

    /** Container of the URLs bound to a node: {@code {root}/urls/{id}/{urlId}}. */
    public String urlsOf(long id) {
        return root + "/urls/" + id;
    }

    public String urlsRoot() {
        return root + "/urls";
    }

    public String bindingsRoot() {
        return root + "/bindings";
    }

    private String namesOf(long id) {
        return root + "/names/" + id;
    }

    private String nameEntry(long parentId, String name) {
        return namesOf(parentId) + "/" + name;
    }
}
