package dev.loki.events;

import java.time.Instant;

/** Every host of one batch of a deployment is done: {@code succeeded}, {@code failed} or skipped. */
public record DeploymentBatchFinished(String id, Instant occurredAt, String source, String nodePath,
                                      long deploymentId, long templateId, int batch, int succeeded, int failed) implements LokiEvent {
}
