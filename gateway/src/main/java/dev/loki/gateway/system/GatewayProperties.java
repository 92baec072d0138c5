package dev.loki.gateway.system;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway settings ({@code loki.gateway.*}).
 *
 * @param authUri auth-service's base URI (API-token exchange)
 * @param jwksUri where Loki's JWT verification keys are published
 * @param apiTokenCacheTtl how long a verified API token is trusted without asking auth-service again;
 *                        a revoked token stops working within this time (at once when the revocation event arrives)
 * @param upstreamTimeout default per-route timeout towards a service
 * @param timeouts per-route overrides, keyed by service name (e.g. {@code deploy-service: 60s})
 * @param maxConcurrentCalls calls one route may have in flight (its bulkhead); more answer 503
 * @param internalToken the secret the gateway presents to auth-service's {@code /internal} token exchange
 * @param refusedApiTokenTtl how long an API token auth-service refused is refused again without asking it
 * @param failedCallsPerAddress failed calls (401) one client address may make per {@code failedCallsWindow}; then
 *                              the gateway verifies no new token from it (429) until the window ends
 * @param failedCallsWindow the window of {@code failedCallsPerAddress}
 * @param keyIdRefreshInterval how often at most a token naming an unknown key id makes the gateway read the JWKS again
 * @param maxConcurrentCallsPerCaller calls one caller (subject, or client address when anonymous) may have in
 *                                    flight through the routes of one gateway replica; more answer 429
 * @param maxEventStreamsPerSubject live event streams ({@code /api/events}) one subject may hold open on one replica
 * @param eventBufferPerStream events a stream may fall behind by; a client that reads slower is disconnected
 * @param endedSessionsRefresh how often the gateway reads auth-service's list of recently disabled or deleted users
 *                             (at start-up at once): a replica that missed the event refuses their JWTs within this time
 */
@Validated
@ConfigurationProperties("loki.gateway")
public record GatewayProperties(@NotNull URI authUri, @NotNull URI jwksUri,
                                @DefaultValue("4s") Duration apiTokenCacheTtl,
                                @DefaultValue("30s") Duration upstreamTimeout,
                                @DefaultValue Map<String, Duration> timeouts,
                                @DefaultValue("1000") int maxConcurrentCalls, String internalToken,
                                @DefaultValue("30s") Duration refusedApiTokenTtl,
                                @DefaultValue("60") @Positive int failedCallsPerAddress,
                                @DefaultValue("1m") Duration failedCallsWindow,
                                @DefaultValue("10s") Duration keyIdRefreshInterval,
                                @DefaultValue("32") @Positive int maxConcurrentCallsPerCaller,
                                @DefaultValue("8") @Positive int maxEventStreamsPerSubject,
                                @DefaultValue("256") @Positive int eventBufferPerStream,
                                @DefaultValue("30s") Duration endedSessionsRefresh) {
}
