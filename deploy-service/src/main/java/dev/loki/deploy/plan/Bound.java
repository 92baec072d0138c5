package dev.loki.deploy.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.loki.deploy.platform.PlatformClient;

/**
 * One server as a subtree has it: bound on one or more nodes there, its traffic ratios summed, and
 * drained ({@code offline}) when it is on any of those bindings.
 */
record Bound(double ratio, boolean offline) {

    /** The subtree's bindings per hostname, in hostname order. */
    static Map<String, Bound> byHost(List<PlatformClient.Binding> bindings) {
        Map<String, Bound> bound = new TreeMap<>();
        for (PlatformClient.Binding b : bindings) {
            bound.merge(b.hostname(), new Bound(b.trafficRatio(), b.offline()),
                    (x, y) -> new Bound(x.ratio() + y.ratio(), x.offline() || y.offline()));
        }
        return bound;
    }
}
