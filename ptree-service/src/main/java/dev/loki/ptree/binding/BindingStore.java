package dev.loki.ptree.binding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.springframework.stereotype.Component;

import dev.loki.ptree.node.NodeStore;
import dev.loki.support.Problems;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bindings in ZooKeeper next to the tree: {@code {root}/bindings/{nodeId}/{hostname}} holding
 * {@code {trafficRatio, offline}}. Every change also bumps the node's bindings container (with the
 * version read), so two concurrent changes of one node's ratios cannot both pass the "sum ≤ 1" check.
 */
@Component
class BindingStore {

    private final CuratorFramework zk;
    private final NodeStore nodes;
    private final JsonMapper json = JsonMapper.builder().build();

    BindingStore(CuratorFramework zk, NodeStore nodes) {
        this.zk = zk;
        this.nodes = nodes;
    }

    /** The container's version, creating the container first if this node has none yet. */
    int containerVersion(long nodeId) throws Exception {
        String container = nodes.bindingsOf(nodeId);
        Stat stat = zk.checkExists().forPath(container);
        if (stat == null) {
            try {
                zk.create().creatingParentContainersIfNeeded().forPath(container);
            } catch (KeeperException.NodeExistsException e) {
                // created concurrently
            }
            stat = zk.checkExists().forPath(container);
        }
        return stat.getVersion();
    }

    void bind(long nodeId, int containerVersion, List<String> hostnames) throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(zk.transactionOp().check().forPath(nodes.nodePath(nodeId)));
        ops.add(zk.transactionOp().setData().withVersion(containerVersion).forPath(nodes.bindingsOf(nodeId)));
        for (String hostname : hostnames) {
            ops.add(zk.transactionOp().create().forPath(entry(nodeId, hostname), data(0.0, false)));
        }
        run(ops, nodeId);
    }

    void update(long nodeId, int containerVersion, Binding binding) throws Exception {
        run(List.of(
                zk.transactionOp().setData().withVersion(containerVersion).forPath(nodes.bindingsOf(nodeId)),
                zk.transactionOp().setData().forPath(entry(nodeId, binding.hostname()), data(binding.trafficRatio(), binding.offline()))),
                nodeId);
    }

    /** Answers false when the binding did not exist. */
    boolean unbind(long nodeId, String hostname) throws Exception {
        try {
            zk.delete().forPath(entry(nodeId, hostname));
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
    }

    /**
     * Unbinds only a binding made before {@code retiredAt} (by its znode's creation time): replaying an
     * old retirement never removes a binding made later for a new server of the same hostname.
     */
    boolean unbindIfBoundBefore(long nodeId, String hostname, Instant retiredAt) throws Exception {
        String path = entry(nodeId, hostname);
        Stat stat = zk.checkExists().forPath(path);
        if (stat == null || stat.getCtime() > retiredAt.toEpochMilli()) {
            return false;
        }
        try {
            zk.delete().withVersion(stat.getVersion()).forPath(path);
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            return false;
        }
    }

    private void run(List<CuratorOp> ops, long nodeId) throws Exception {
        try {
            zk.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            throw Problems.conflict("A server in the request is already bound to this node.");
        } catch (KeeperException.NoNodeException e) {
            throw Problems.notFound("Node or binding", nodeId);
        } catch (KeeperException.BadVersionException e) {
            throw Problems.conflict("The node's bindings changed while this request ran; read them again and retry.");
        }
    }

    private String entry(long nodeId, String hostname) {
        return nodes.bindingsOf(nodeId) + "/" + hostname;
    }

    private byte[] data(double trafficRatio, boolean offline) {
        return json.writeValueAsBytes(new BindingView.Stored(trafficRatio, offline));
    }
}
