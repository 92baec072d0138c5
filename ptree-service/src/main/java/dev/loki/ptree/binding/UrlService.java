package dev.loki.ptree.binding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Service;

import dev.loki.events.Events;
import dev.loki.events.Privilege;
import dev.loki.events.UrlBound;
import dev.loki.events.UrlUnbound;
import dev.loki.ptree.node.NodeStore;
import dev.loki.ptree.node.TreeView;
import dev.loki.ptree.system.ZooKeeperCalls;
import dev.loki.support.EventPublisher;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * URLs bound to nodes, in ZooKeeper as {@code {root}/urls/{nodeId}/{urlId}}. The id is derived from
 * domain and path, so binding the same URL to a node twice fails atomically (409), on any replica.
 * Changes need {@code node.manage} on the node.
 */
@Service
public class UrlService implements InitializingBean, DisposableBean {

    record Stored(String domain, String path) {
    }

    /** A bound URL with the path of its node. */
    record BoundUrl(String id, String domain, String path, long nodeId, String nodePath) {
    }

    private final CuratorFramework zk;
    private final NodeStore nodes;
    private final TreeView tree;
    private final Permissions permissions;
    private final EventPublisher events;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Attachments<UrlBinding> urls;
    private final ZooKeeperCalls calls;

    UrlService(CuratorFramework zk, NodeStore nodes, TreeView tree, Permissions permissions, EventPublisher events,
               ZooKeeperCalls calls) {
        this.zk = zk;
        this.calls = calls;
        this.nodes = nodes;
        this.tree = tree;
        this.permissions = permissions;
        this.events = events;
        this.urls = new Attachments<>(zk, nodes.urlsRoot(), (nodeId, id, data) -> {
            Stored stored = json.readValue(data, Stored.class);
            return new UrlBinding(id, nodeId, stored.domain(), stored.path());
        });
    }

    @Override
    public void afterPropertiesSet() throws InterruptedException {
        urls.start();
    }

    Mono<List<BoundUrl>> list(long nodeId, boolean recursive) {
        String path = pathOf(nodeId);
        Map<Long, String> subtree = recursive ? tree.subtreePaths(nodeId) : Map.of(nodeId, path);
        List<BoundUrl> out = new ArrayList<>();
        subtree.forEach((id, p) -> urls.onNode(id).forEach(u -> out.add(new BoundUrl(u.id(), u.domain(), u.path(), id, p))));
        return Mono.just(out);
    }

    Mono<BoundUrl> bind(long nodeId, String domain, String urlPath) {
        String path = pathOf(nodeId);
        String id = idOf(domain, urlPath);
        return permissions.require(path, Privilege.NODE_MANAGE)
                .then(calls.call(() -> {
                    try {
                        zk.create().creatingParentContainersIfNeeded()
                                .forPath(nodes.urlsOf(nodeId) + "/" + id, json.writeValueAsBytes(new Stored(domain, urlPath)));
                    } catch (KeeperException.NodeExistsException e) {
                        throw Problems.conflict(domain + urlPath + " is already bound to " + path + ".");
                    }
                    return id;
                }))
                .then(Mono.fromCallable(() -> urls.get(nodeId, id).orElse(null))
                        .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(5))).timeout(Duration.ofSeconds(5)))
                .flatMap(u -> events.publish(new UrlBound(Events.newId(), Events.now(), BindingService.SOURCE, path, nodeId, id, domain, urlPath))
                        .thenReturn(new BoundUrl(id, domain, urlPath, nodeId, path)));
    }

    Mono<Void> unbind(long nodeId, String id) {
        String path = pathOf(nodeId);
        UrlBinding url = urls.get(nodeId, id).orElseThrow(() -> Problems.notFound("URL", id + " on " + path));
        return permissions.require(path, Privilege.NODE_MANAGE)
                .then(calls.call(() -> {
                    try {
                        zk.delete().forPath(nodes.urlsOf(nodeId) + "/" + id);
                    } catch (KeeperException.NoNodeException e) {
                        throw Problems.notFound("URL", id + " on " + path);
                    }
                    return id;
                }))
                .then(Mono.fromCallable(() -> urls.get(nodeId, id).isPresent() ? null : Boolean.TRUE)
                        .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(5))).timeout(Duration.ofSeconds(5)))
                .then(events.publish(new UrlUnbound(Events.newId(), Events.now(), BindingService.SOURCE, path, nodeId, id,
                        url.domain(), url.path())));
    }

    /** The URLs bound to one node (from the in-memory view). */
    public List<UrlBinding> onNode(long nodeId) {
        return urls.onNode(nodeId);
    }

    private String pathOf(long nodeId) {
        return tree.pathOf(nodeId).orElseThrow(() -> Problems.notFound("Node", nodeId));
    }

    /** A stable id for a URL: the first 16 hex digits of SHA-256(domain + path). */
    static String idOf(String domain, String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((domain + path).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        urls.close();
    }
}
