package dev.loki.alarm.alarm;

import java.util.List;

/**
 * How many alarms of a status sit on each node ({@code GET /api/alarm/summary}), for the badges of the web UI.
 *
 * @param total all of them, on every node
 * @param nodes per node (its own alarms, not its subtree's), most first, at most {@link #MAX_NODES}
 */
public record AlarmSummary(String status, long total, List<NodeCount> nodes) {

    public static final int MAX_NODES = 1000;

    /** @param severity the most severe among them */
    public record NodeCount(String nodePath, long count, String severity) {
    }
}
