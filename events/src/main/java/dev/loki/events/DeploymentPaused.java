package dev.loki.events;

import java.time.Instant;

/**
 * A running deployment stopped starting hosts until resumed.
 *
 * @param reason {@code failure-budget: …}, {@code first-batch}, or {@code paused by <subject>}
 */
public record DeploymentPaused(String id, Instant occurredAt, String source, String nodePath,
                               long deploymentId, long templateId, String reason) implements LokiEvent {
}
