package dev.loki.deploy.template;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.loki.support.ValidNodePath;

/**
 * What a template says, as sent ({@code POST}/{@code PUT /api/deploy/templates}) and as stored in each
 * revision. The read-only fields of a template ({@code id}, {@code revision}, {@code createdBy}, …) are
 * ignored on input, so a client may send back what it read.
 *
 * @param steps {@code script}: the commands, in order; {@code java} and {@code nginx}: run before the built-in ones
 * @param parameters names and default values, overridable per deployment; each reaches the host as an
 *                   environment variable {@code LOKI_PARAM_<name>} (never spliced into a command line)
 */
@JsonIgnoreProperties(value = {"id", "revision", "createdBy", "createdAt", "updatedBy", "updatedAt"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateSpec(
        @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
        @NotNull @ValidNodePath String nodePath,
        @NotNull @Pattern(regexp = "script|java|nginx", message = "one of script, java, nginx") String type,
        @Size(max = 50) List<@NotNull @Valid Step> steps,
        @Valid HealthCheck healthCheck,
        @Valid Batch batch,
        @Valid Gate gate,
        @Valid JavaPackage java,
        @Valid Nginx nginx,
        Boolean drain,
        Boolean requireApproval,
        @Pattern(regexp = "^[a-z_][a-z0-9_-]{0,31}$", message = "a Unix user name: lower-case letters, digits, _ and -, at most 32")
        String runUser,
        @Size(max = 50) Map<@Pattern(regexp = PARAMETER, message = PARAMETER_MESSAGE) String, @NotNull @Size(max = 4096) String> parameters) {

    static final String NAME = "^[\\p{L}\\p{N}][\\p{L}\\p{N} ._()-]{0,99}$";
    static final String NAME_MESSAGE = "letters, digits, spaces and . _ ( ) -, starting with a letter or digit, at most 100";
    static final String PARAMETER = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";
    static final String PARAMETER_MESSAGE = "a parameter name: letters, digits and _, not starting with a digit, at most 64";
    static final String ABSOLUTE_PATH = "^/[A-Za-z0-9._/-]{0,510}$";
    static final String ABSOLUTE_PATH_MESSAGE = "an absolute path of letters, digits and . _ / -";
    /** An absolute path, or one under the login user's home ({@code ~/app}). */
    static final String HOST_PATH = "^(/|~/)[A-Za-z0-9._/-]{0,510}$";
    static final String HOST_PATH_MESSAGE = "an absolute path (or ~/ for the login user's home) of letters, digits and . _ / -";

    /** This spec under another name or on another node (a template's row is current; a revision keeps what was saved). */
    TemplateSpec at(String newName, String newNodePath) {
        return new TemplateSpec(newName, newNodePath, type, steps, healthCheck, batch, gate, java, nginx, drain, requireApproval, runUser, parameters);
    }

    /** One command of a template. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 16_384) String command,
            @Positive @Max(86_400) Integer timeoutSeconds) {
    }

    /** How a host is checked after its steps: a command that exits 0, or a URL that answers 2xx. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthCheck(
            @Size(max = 16_384) String command,
            @Size(max = 2048) @Pattern(regexp = "^https?://[^\\s]+$", message = "an http:// or https:// URL") String url,
            @PositiveOrZero @Max(100) Integer retries,
            @Positive @Max(3600) Integer intervalSeconds) {
    }

    /**
     * How hosts are batched and what a failure does.
     *
     * @param size hosts per batch (or {@code ramp})
     * @param ramp batch sizes like {@code "1 10% 50% 100%"} (or {@code size})
     * @param maxUnavailable a count of hosts, or a share of the node's traffic-weighted capacity ({@code "25%"})
     * @param maxFailures failed hosts the whole run tolerates: a count or a share of its hosts
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(
            @Positive @Max(100_000) Integer size,
            @Size(max = 200) String ramp,
            @Positive @Max(100_000) Integer perIdcConcurrency,
            @Size(max = 12) String maxUnavailable,
            Boolean pauseAfterFirstBatch,
            @Size(max = 12) String maxFailures,
            @Pattern(regexp = "pause|abort", message = "pause or abort") String onFailure) {
    }

    /** After each batch, the node's availability over the bake window must reach {@code minAvailability} (a percentage). */
    public record Gate(
            @NotNull @DecimalMin("0") @DecimalMax("100") Double minAvailability,
            @NotNull @PositiveOrZero @Max(86_400) Integer bakeSeconds) {
    }

    /**
     * A {@code java} template's package: fetched for the deployment's version ({@code ${version}} in the
     * URL), installed under {@code installDir} ({@code ~/} is the login user's home), the previous one kept
     * there for a fast rollback.
     */
    public record JavaPackage(
            @NotBlank @Size(max = 2048) String packageUrl,
            @NotBlank @Pattern(regexp = HOST_PATH, message = HOST_PATH_MESSAGE) String installDir,
            @NotBlank @Size(max = 16_384) String startCommand,
            @NotBlank @Size(max = 16_384) String stopCommand) {
    }

    /**
     * An {@code nginx} template: the upstream block rendered from the servers and traffic ratios of
     * {@code upstreamNode} (default: the template's own node), written to {@code configPath} on each host,
     * tested ({@code testCommand}; the previous file is put back when it fails) and reloaded.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Nginx(
            @NotBlank @Pattern(regexp = "^[A-Za-z0-9_-]{1,64}$", message = "letters, digits, _ and -, at most 64") String upstream,
            @NotBlank @Pattern(regexp = HOST_PATH, message = HOST_PATH_MESSAGE) String configPath,
            @NotNull @Min(1) @Max(65_535) Integer port,
            @Size(max = 16_384) String testCommand,
            @Size(max = 16_384) String reloadCommand,
            @ValidNodePath String upstreamNode) {
    }
}
