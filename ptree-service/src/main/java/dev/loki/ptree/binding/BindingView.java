package dev.loki.ptree.binding;

import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import dev.loki.ptree.node.NodeStore;
import tools.jackson.databind.json.JsonMapper;

/** All server bindings in memory, by node and by hostname. */
@Component
public class BindingView implements InitializingBean, DisposableBean {

    record Stored(double trafficRatio, boolean offline) {
    }

    private final Attachments<Binding> bindings;

    BindingView(CuratorFramework zk, NodeStore nodes) {
        JsonMapper json = JsonMapper.builder().build();
        this.bindings = new Attachments<>(zk, nodes.bindingsRoot(), (nodeId, hostname, data) -> {
            Stored stored = json.readValue(data, Stored.class);
            return new Binding(nodeId, hostname, stored.trafficRatio(), stored.offline());
        });
    }

    @Override
    public void afterPropertiesSet() throws InterruptedException {
        bindings.start();
    }

    public List<Binding> onNode(long nodeId) {
        return bindings.onNode(nodeId);
    }

    List<Long> nodesOf(String hostname) {
        return bindings.nodesOf(hostname);
    }

    @Override
    public void destroy() {
        bindings.close();
    }
}
