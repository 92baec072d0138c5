package dev.loki.deploy.plan;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.loki.events.Hostname;

/**
 * {@code POST /api/deploy/plans}.
 *
 * @param hosts an explicit subset of the node's servers (taken as given: no status or offline filter); all when absent
 * @param includeNotOnline also servers whose asset status is not {@code online} (never drained ones)
 */
public record PlanRequest(
        @NotNull @Positive Long templateId,
        @Size(min = 1, max = 10_000) List<@NotNull @Pattern(regexp = Hostname.PATTERN, message = "a hostname") String> hosts,
        Boolean includeNotOnline) {
}
