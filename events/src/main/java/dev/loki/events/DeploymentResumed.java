package dev.loki.events;

import java.time.Instant;

/**
 * A paused deployment runs again ({@code by} resumed it, or retried one of its hosts).
 *
 * @param note why, as given with the resume ({@code null} when none was given; required past a failed gate)
 */
public record DeploymentResumed(String id, Instant occurredAt, String source, String nodePath,
                                long deploymentId, long templateId, String by, String note) implements LokiEvent {
}
