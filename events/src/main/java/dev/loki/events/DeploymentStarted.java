package dev.loki.events;

import java.time.Instant;

/** A deployment began to run (at once, or once approved by {@code by}). */
public record DeploymentStarted(String id, Instant occurredAt, String source, String nodePath,
                                long deploymentId, long templateId, String version, String by) implements LokiEvent {
}
