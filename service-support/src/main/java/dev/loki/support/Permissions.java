package dev.loki.support;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;

import dev.loki.events.Privilege;

/**
 * Asks auth-service whether the caller holds a privilege on a tree node ({@code GET /api/auth/check},
 * with the caller's own JWT), so every service enforces permissions the same way. Administrators are
 * asked about too: the JWT's {@code admin} claim may be stale (a demoted or disabled administrator),
 * auth-service knows. Answers are cached for 5 s; auth-service unreachable → 503, never "allowed".
 */
public class Permissions {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Permissions.class);
    private static final Duration CACHE_TTL = Duration.ofSeconds(5);

    private final WebClient auth;
    private final Cache<String, Boolean> cache = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(10_000).build();
    private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("auth-service-check");

    public Permissions(WebClient.Builder builder, LokiProperties properties) {
        this.auth = builder.baseUrl(properties.security().authUri().toString()).build();
    }

    /** Completes empty when allowed; errors with 403 (or 401 without a caller) otherwise. */
    public Mono<Void> require(String nodePath, Privilege privilege) {
        return has(nodePath, privilege)
                .flatMap(ok -> ok ? Mono.<Void>empty() : Mono.error(new LokiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "You need " + privilege + " on " + nodePath + " (or an ancestor) to do this.")));
    }

    /** Whether the caller holds {@code privilege} on {@code nodePath} (or an ancestor); 401 without a caller. */
    public Mono<Boolean> has(String nodePath, Privilege privilege) {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(ctx -> ctx.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .cast(JwtAuthenticationToken.class)
                .switchIfEmpty(Mono.error(() -> new LokiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                        "A valid Loki token is required.")))
                .flatMap(auth -> allowed(Caller.of(auth.getToken()).subject(), auth.getToken().getTokenValue(), nodePath, privilege));
    }

    private Mono<Boolean> allowed(String subject, String jwt, String nodePath, Privilege privilege) {
        String key = subject + " " + privilege + " " + nodePath;
        Boolean cached = cache.getIfPresent(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        return auth.get()
                .uri(b -> b.path("/api/auth/check").queryParam("subject", subject).queryParam("nodePath", nodePath)
                        .queryParam("privilege", privilege.wire()).build())
                .headers(h -> h.setBearerAuth(jwt))
                .retrieve().bodyToMono(CheckResult.class)
                .timeout(Duration.ofSeconds(5))
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .map(CheckResult::allowed)
                .doOnNext(ok -> cache.put(key, ok))
                .doOnError(e -> log.warn("permission check for {} failed: {}", subject, e.toString()))
                .onErrorMap(e -> !(e instanceof LokiProblem), e -> new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE,
                        "permission-check-unavailable", "Permission check unavailable",
                        "auth-service could not be asked whether you may do this; try again shortly."));
    }

    /** The part of auth-service's answer this needs. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record CheckResult(boolean allowed) {
    }
}
