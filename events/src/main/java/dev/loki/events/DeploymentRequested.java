package dev.loki.events;

import java.time.Instant;

/**
 * A deployment was asked for: its plan is stored and it runs now, or waits for approval.
 *
 * @param nodePath the template's node
 * @param hosts    how many hosts its plan has, in {@code batches} batches
 * @param rollbackOf the deployment it rolls back, or {@code null}
 */
public record DeploymentRequested(String id, Instant occurredAt, String source, String nodePath,
                                  long deploymentId, long templateId, int revision, String version, String requestedBy,
                                  int hosts, int batches, boolean awaitingApproval, Long rollbackOf) implements LokiEvent {
}
