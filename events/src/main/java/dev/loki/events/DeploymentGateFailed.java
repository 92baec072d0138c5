package dev.loki.events;

import java.time.Instant;

/**
 * A deployment's availability gate did not pass after a batch, and the deployment paused.
 *
 * @param batch           the batch (from 0) the gate judged
 * @param outcome         {@code failed} (below the threshold) or {@code inconclusive} (no data, or monitor-service could not be asked)
 * @param availability    the node's availability over the window in percent; {@code null} when inconclusive
 * @param minAvailability the template's threshold in percent
 * @param windowStart     the bake window the figure covers
 * @param reason          the deployment's pause reason, as {@code GET …/deployments/{id}} shows it
 */
public record DeploymentGateFailed(String id, Instant occurredAt, String source, String nodePath,
                                   long deploymentId, long templateId, int batch, String outcome, Double availability,
                                   double minAvailability, Instant windowStart, Instant windowEnd, String reason) implements LokiEvent {
}
