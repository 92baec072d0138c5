package dev.loki.events;

import java.time.Instant;

/**
 * One host of a deployment failed.
 *
 * @param step     the step it failed at, or {@code null} when it could not be reached
 * @param exitCode the step's exit code, or {@code null} (unreachable, refused host key, …)
 * @param reason   what the host's status says ({@code step deploy exited 3}, {@code unknown host key …})
 */
public record DeploymentHostFailed(String id, Instant occurredAt, String source, String nodePath,
                                   long deploymentId, long templateId, String hostname, String step, Integer exitCode,
                                   String reason) implements LokiEvent {
}
