package dev.loki.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;
import dev.loki.events.InternalApi;

/**
 * {@code /internal/**} endpoints serve Loki's own services (token exchange, the path-change log, a
 * node's scope), never users: the gateway does not route them, the chart's NetworkPolicy lets only
 * Loki pods reach a service, and a call must carry the platform's internal token
 * ({@code loki.security.internal-token}, from the chart's Secret or {@code ./loki}'s data directory) in
 * {@value #HEADER}. Compared in constant time; never logged.
 */
public final class InternalCalls {

    public static final String HEADER = InternalApi.TOKEN_HEADER;
    private static final Logger log = LoggerFactory.getLogger(InternalCalls.class);

    private final byte[] token;

    public InternalCalls(String token) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        if (this.token == null) {
            log.warn("loki.security.internal-token (LOKI_INTERNAL_TOKEN) is not set: this service's /internal endpoints refuse every call, "
                    + "and its calls to other services' /internal endpoints will be refused");
        }
    }

    /** A copy of {@code builder} whose requests carry the internal token. */
    public WebClient.Builder authenticate(WebClient.Builder builder) {
        return token == null ? builder.clone() : builder.clone().defaultHeader(HEADER, new String(token, StandardCharsets.UTF_8));
    }

    boolean accepts(String presented) {
        return token != null && presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Grants access to a request that carries the internal token, whoever else it claims to be. */
    ReactiveAuthorizationManager<AuthorizationContext> authorization() {
        return new ReactiveAuthorizationManager<>() {
            @Override
            public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
                return Mono.just(new AuthorizationDecision(accepts(context.getExchange().getRequest().getHeaders().getFirst(HEADER))));
            }
        };
    }
}
