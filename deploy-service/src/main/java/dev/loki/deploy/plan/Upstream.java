package dev.loki.deploy.plan;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.loki.deploy.platform.PlatformClient;

/**
 * An {@code nginx} template's upstream block, rendered from a node's servers and their traffic ratios:
 * each server once (its ratios on the bindings in the subtree summed) at its address and the template's
 * port, with {@code weight} its share in percent (at least 1); {@code down} when it takes no traffic —
 * drained on a binding, not {@code online} in asset-service, or a ratio of 0 while others carry traffic.
 * When every ratio is 0 the servers weigh the same.
 */
public final class Upstream {

    private Upstream() {
    }

    /** One server as the node has it: summed ratio, drained anywhere, its asset status and address. */
    public record Member(String hostname, String address, double trafficRatio, boolean offline, String status) {
    }

    /** Members from a subtree's bindings and asset-service's view of each server (missing: not online). */
    public static List<Member> members(List<PlatformClient.Binding> bindings, Map<String, PlatformClient.Server> servers) {
        return Bound.byHost(bindings).entrySet().stream().map(e -> {
            PlatformClient.Server s = servers.get(e.getKey());
            return new Member(e.getKey(), s == null ? e.getKey() : s.address(), e.getValue().ratio(), e.getValue().offline(),
                    s == null ? null : s.status());
        }).toList();
    }

    /** The block; {@code name} and {@code port} from the template, {@code source} (the node) in a comment. */
    public static String render(String name, int port, String source, List<Member> members) {
        if (members.isEmpty()) {
            throw new PlanImpossible("the upstream " + name + " would have no server: " + source + " has none bound");
        }
        boolean weighted = members.stream().anyMatch(m -> m.trafficRatio() > 0);
        StringBuilder out = new StringBuilder("# rendered by Loki from the servers of ").append(source).append('\n')
                .append("upstream ").append(name).append(" {\n");
        for (Member m : members) {
            boolean down = m.offline() || !"online".equals(m.status()) || (weighted && m.trafficRatio() <= 0);
            out.append("    server ").append(hostPort(m.address(), port));
            if (down) {
                out.append(" down");
            } else if (weighted) {
                out.append(" weight=").append(Math.max(1, Math.round(m.trafficRatio() * 100)));
            }
            out.append(";  # ").append(m.hostname()).append('\n');
        }
        return out.append("}\n").toString();
    }

    private static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address.toLowerCase(Locale.ROOT)) + ":" + port;
    }
}
