package dev.loki.support;

import java.net.URI;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Settings shared by every Loki service ({@code loki.*}). */
@Validated
@ConfigurationProperties("loki")
public record LokiProperties(@NotNull Security security, @NotNull Redis redis) {

    /**
     * @param authUri auth-service's base URI (permission checks)
     * @param jwksUri where auth-service publishes the keys that sign Loki's JWTs
     * @param issuer the {@code iss} every accepted JWT carries
     * @param publicPaths paths (Spring path patterns) any caller may reach without a token
     * @param internalToken the secret Loki's services present to each other's {@code /internal/**}
     *                      endpoints ({@link InternalCalls}); blank: nobody may call them
     */
    public record Security(@NotNull URI authUri, @NotNull URI jwksUri, @DefaultValue("loki") @NotBlank String issuer,
                           @DefaultValue List<String> publicPaths, String internalToken) {
    }

    /** @param keyPrefix prefix of every Redis key this service writes */
    public record Redis(@DefaultValue("loki:") @NotBlank String keyPrefix) {
    }
}
