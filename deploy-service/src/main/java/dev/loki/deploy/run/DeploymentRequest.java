package dev.loki.deploy.run;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.loki.events.Hostname;

/**
 * {@code POST /api/deploy/deployments}.
 *
 * @param version    what is deployed: reaches the hosts as {@code LOKI_VERSION} (and a java template's package URL)
 * @param parameters values for the template's parameters (only those it declares)
 * @param hosts      an explicit subset of the node's servers, as for a plan preview
 */
public record DeploymentRequest(
        @NotNull @Positive Long templateId,
        @NotNull @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$",
                message = "letters, digits and . _ + -, starting with a letter or digit, at most 128") String version,
        @Size(max = 50) Map<String, @NotNull @Size(max = 4096) String> parameters,
        @Size(min = 1, max = 10_000) List<@NotNull @Pattern(regexp = Hostname.PATTERN, message = "a hostname") String> hosts,
        Boolean includeNotOnline) {
}
