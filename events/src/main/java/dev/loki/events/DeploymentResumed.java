package dev.loki.events;

import java.time.Instant;

/** A paused deployment runs again ({@code by} resumed it, or retried one of its hosts). */
public record DeploymentResumed(String id, Instant occurredAt, String source, String nodePath,
                                long deploymentId, long templateId, String by) implements LokiEvent {
}
