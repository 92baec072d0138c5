package dev.loki.events;

import java.time.Instant;

/**
 * A deployment ended for good.
 *
 * @param outcome {@code succeeded}, {@code failed} (its failure budget ran out with {@code onFailure: abort})
 *                or {@code cancelled} (also: rejected)
 * @param failedHosts how many of its hosts failed
 */
public record DeploymentFinished(String id, Instant occurredAt, String source, String nodePath,
                                 long deploymentId, long templateId, String version, String outcome, String reason,
                                 int failedHosts) implements LokiEvent {
}
