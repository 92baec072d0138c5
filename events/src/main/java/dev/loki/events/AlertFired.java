package dev.loki.events;

import java.time.Instant;
import java.util.Map;

/**
 * An alert rule held for its {@code forSeconds} on one series: raised once per series (identified by
 * {@code fingerprint}) until it clears.
 *
 * @param series the tags of the series (e.g. {@code {host: web1}})
 * @param value the latest value, which crossed {@code threshold} by {@code comparator}
 */
public record AlertFired(String id, Instant occurredAt, String source, String nodePath,
                         long ruleId, String ruleName, String severity, String metric, Map<String, String> series,
                         double value, String comparator, double threshold, String fingerprint) implements LokiEvent {
}
