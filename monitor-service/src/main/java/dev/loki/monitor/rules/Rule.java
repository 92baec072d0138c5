package dev.loki.monitor.rules;

import java.time.Instant;
import java.util.Map;

/**
 * An alert rule: on the node at {@code nodePath} and every node below it, each series of
 * {@code metric} (with {@code tags}, aggregated by {@code aggregator}, optionally downsampled) whose
 * value has compared true against {@code threshold} for {@code forSeconds} raises one alarm.
 * Host metrics ({@code host.*}) cover the servers bound in the subtree; URL metrics ({@code url.*})
 * the URLs bound there.
 */
public record Rule(long id, String name, String nodePath, String metric, Map<String, String> tags, String aggregator,
                   String downsample, String comparator, double threshold, int forSeconds, String severity, boolean enabled,
                   String createdBy, Instant createdAt, Instant updatedAt) {

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
