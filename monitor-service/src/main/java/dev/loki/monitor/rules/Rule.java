package dev.loki.monitor.rules;

import java.time.Instant;
import java.util.Map;

/**
 * An alert rule: on the node at {@code nodePath} and every node below it, each series of
 * {@code metric} (with {@code tags}, aggregated by {@code aggregator}, optionally downsampled) whose
 * value has compared true against {@code threshold} for {@code forSeconds} raises one alarm.
 * Host metrics ({@code host.*}) cover the servers bound in the subtree; URL metrics ({@code url.*})
 * the URLs bound there. With {@code noDataSeconds}, a host (or domain) bound there that has reported no value
 * of the metric for that long raises an alarm of its own, until it reports again.
 */
public record Rule(long id, String name, String nodePath, String metric, Map<String, String> tags, String aggregator,
                   String downsample, String comparator, double threshold, int forSeconds, String severity, boolean enabled,
                   Integer noDataSeconds, String createdBy, Instant createdAt, Instant updatedAt) {

    /** The comparator an alert of {@link #noDataSeconds} carries: its value is how long the member has been silent. */
    public static final String NO_DATA = "no-data";

    boolean holds(double value) {
        return switch (comparator) {
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case "==" -> value == threshold;
            default -> value != threshold;
        };
    }
}
