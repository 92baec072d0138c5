package dev.loki.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.events.EventType;
import dev.loki.gateway.live.EventStream;
import dev.loki.gateway.system.GatewayProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import dev.loki.events.InternalApi;

/**
 * Trades an API token for a short-lived internal JWT at auth-service, so services only ever verify
 * JWTs. Answers are cached for {@code loki.gateway.api-token-cache-ttl} (4 s) and the whole cache is
 * dropped when an {@code api-token-revoked}, {@code user-updated} or {@code user-deleted} event arrives:
 * a revoked token, or one whose owner was disabled, stops working at once, and within the TTL even if
 * the event is lost. A token auth-service refused is refused again without asking for
 * {@code loki.gateway.refused-api-token-ttl} (30 s), or until a user changes (one may have been enabled again).
 */
@Component
public class ApiTokenExchanger implements DisposableBean {


    private final WebClient auth;
    private final Cache<String, String> cache;
    /** Tokens auth-service refused a moment ago: asking again would cost it a lookup per guess. */
    private final Cache<String, Boolean> refused;
    private static final java.util.Set<String> DROPS_TOKENS = java.util.Set.of(EventType.API_TOKEN_REVOKED.wireName(),
            EventType.USER_UPDATED.wireName(), EventType.USER_DELETED.wireName());

    private final Disposable revocations;

    ApiTokenExchanger(AuthServiceClient auth, GatewayProperties properties, EventStream stream) {
        this.auth = auth.web();
        this.cache = Caffeine.newBuilder().expireAfterWrite(properties.apiTokenCacheTtl()).maximumSize(10_000).build();
        this.refused = Caffeine.newBuilder().expireAfterWrite(properties.refusedApiTokenTtl()).maximumSize(50_000).build();
        // a revoked token, and every token of a disabled or deleted user, stops at once (and within the TTL if the event
        // is lost); the gateway's one event subscription subscribes again by itself when Redis comes back
        this.revocations = stream.events()
                .filter(e -> DROPS_TOKENS.contains(e.type()))
                .subscribe(e -> {
                    cache.invalidateAll();
                    // a user enabled again: their tokens work again at once
                    refused.invalidateAll();
                });
    }

    /** The internal JWT for this API token; 401 if auth-service rejects it, 503 if it cannot be asked. */
    public Mono<String> exchange(String secret) {
        String key = sha256(secret);
        String cached = cache.getIfPresent(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        if (refused.getIfPresent(key) != null) {
            return Mono.error(new InvalidBearerTokenException("Unknown, expired or revoked API token."));
        }
        return auth.post().uri(InternalApi.TOKEN_EXCHANGE).bodyValue(Map.of("token", secret))
                .retrieve().bodyToMono(ExchangeResponse.class)
                .timeout(Duration.ofSeconds(5))
                .map(ExchangeResponse::accessToken)
                .doOnNext(jwt -> cache.put(key, jwt))
                .onErrorMap(WebClientResponseException.Unauthorized.class, e -> {
                    refused.put(key, Boolean.TRUE);
                    return new InvalidBearerTokenException("Unknown, expired or revoked API token.");
                })
                .onErrorMap(e -> !(e instanceof InvalidBearerTokenException),
                        e -> new AuthenticationServiceException("auth-service is not reachable to verify the API token", e));
    }

    /** Whether a bearer is an API token ({@code loki_...}) rather than a JWT. */
    public static boolean isApiToken(String bearer) {
        return bearer != null && bearer.startsWith(SecurityConfiguration.API_TOKEN_PREFIX);
    }

    /** Whether this token was exchanged a moment ago: checking it costs nothing. */
    boolean knows(String secret) {
        return cache.getIfPresent(sha256(secret)) != null;
    }

    record ExchangeResponse(String accessToken, long expiresIn, String subject) {
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        revocations.dispose();
    }
}
