package dev.loki.deploy.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * deploy-service settings ({@code loki.deploy.*}).
 *
 * @param ptreeUri ptree-service (a node's servers, their traffic ratios and offline flags; path changes)
 * @param assetUri asset-service (each server's status and IDC)
 * @param monitorUri monitor-service (a node's availability, for the gate)
 * @param ssh      how hosts are reached
 */
@Validated
@ConfigurationProperties("loki.deploy")
public record DeployProperties(@NotNull URI ptreeUri, @NotNull URI assetUri, @NotNull URI monitorUri, @NotNull @Valid Ssh ssh) {

    /**
     * SSH to the hosts.
     *
     * @param user           the login user on every host
     * @param port           the port of every host's SSH server
     * @param keyFile        the private key deploy-service logs in with (OpenSSH or PEM format; never logged)
     * @param knownHosts     an OpenSSH {@code known_hosts} file: a host whose key is not in it, or differs, fails
     * @param connectTimeout connecting, the key exchange and authentication together
     * @param concurrency    SSH sessions open at once across all deployments
     */
    public record Ssh(@NotBlank String user, @Min(1) @Max(65_535) int port, @NotNull Path keyFile, @NotNull Path knownHosts,
                      @NotNull Duration connectTimeout, @Min(1) @Max(10_000) int concurrency) {
    }
}
