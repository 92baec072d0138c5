package dev.loki.auth.system;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * auth-service settings ({@code loki.auth.*}).
 *
 * @param adminPassword password of the {@code admin} account created on first start (required then)
 * @param keyDir directory holding the JWT signing key; generated there when missing (dev)
 * @param privateKey the JWT signing key as PKCS#8 PEM (production: from a Secret); wins over keyDir
 * @param ptreeUri ptree-service's base URI: its path-change log, which grants and petitions follow
 * @param sessionMaxLifetime how long a session (a refresh-token family) lasts at most from its login, however often it
 *                           is refreshed; then the user signs in again
 * @param apiTokenMaxLifetime how long an API token lives at most from its creation (a token asked for without an expiry
 *                            gets this one; one created before the limit existed stops at this age)
 */
@Validated
@ConfigurationProperties("loki.auth")
public record AuthProperties(String adminPassword, String keyDir, String privateKey,
                             @NotNull Duration accessTokenTtl, @NotNull Duration refreshTokenTtl,
                             @NotNull Duration exchangedTokenTtl, @Valid @NotNull Login login, @NotNull URI ptreeUri,
                             @DefaultValue("30d") Duration sessionMaxLifetime, @DefaultValue("365d") Duration apiTokenMaxLifetime) {

    /**
     * Login throttling: failures counted per user and per client address within {@code window}.
     * {@code trustedProxies}: CIDRs of the peers (the gateway) whose {@code X-Loki-Client-Address} names the client.
     */
    public record Login(@Min(1) int maxFailuresPerUser, @Min(1) int maxFailuresPerAddress, @NotNull Duration window,
                        @NotNull List<String> trustedProxies) {
    }
}
