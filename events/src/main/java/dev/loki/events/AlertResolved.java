package dev.loki.events;

import java.time.Instant;
import java.util.Map;

/** The series an {@link AlertFired} was raised for no longer meets its rule (or the rule went away). */
public record AlertResolved(String id, Instant occurredAt, String source, String nodePath,
                            long ruleId, String ruleName, String metric, Map<String, String> series,
                            Double value, String fingerprint) implements LokiEvent {
}
