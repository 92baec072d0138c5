package dev.loki.events;

import java.time.Instant;
import java.util.List;

/**
 * deploy-service's answer at {@link InternalApi#RECENT_DEPLOYMENTS}: the deployments that were running at some
 * time in a window on a node (on it, an ancestor or a descendant) or on some hosts, newest start first, at most
 * {@link #LIMIT}. alarm-service shows them as what changed before an alarm, and rolls one back from it.
 */
public record RecentDeployments(List<Deployment> deployments) {

    public static final int LIMIT = 100;

    public RecentDeployments {
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
    }

    /**
     * @param status as deploy-service's API names it ({@code running}, {@code succeeded}, …)
     * @param finishedAt null while it runs
     * @param hosts how many hosts it has
     * @param touchedHosts the hosts asked about that it ran on (began their steps)
     */
    public record Deployment(long id, String nodePath, long templateId, String version, String status, String requestedBy,
                             Instant startedAt, Instant finishedAt, Long rollbackOf, int hosts, List<String> touchedHosts) {

        public Deployment {
            touchedHosts = touchedHosts == null ? List.of() : List.copyOf(touchedHosts);
        }
    }
}
