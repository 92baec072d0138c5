package dev.loki.gateway.identity;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import dev.loki.gateway.edge.Problems;
import dev.loki.gateway.system.GatewayProperties;
import reactor.core.publisher.Mono;

/**
 * Who may pass: {@code /api/**} needs a bearer token except login, refresh and the JWKS. A bearer is
 * either a Loki JWT issued at login (audience {@code loki}, verified against the JWKS) or an API token
 * ({@code loki_...}), exchanged at auth-service for an internal JWT. Clients can never present an
 * internal JWT themselves.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    static final String AUDIENCE_USER = "loki";
    static final String AUDIENCE_INTERNAL = "loki-internal";
    static final String API_TOKEN_PREFIX = "loki_";

    @Bean
    SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, GatewayProperties properties, ApiTokenExchanger exchanger,
                                           FailedCallBudget budget, WebClient.Builder webClients, EndedSessions ended) {
        KnownKeyIds keyIds = new KnownKeyIds(webClients, properties.jwksUri(), properties.keyIdRefreshInterval());
        VerifiedJwtCache users = decoder(properties, AUDIENCE_USER, keyIds);
        VerifiedJwtCache internal = decoder(properties, AUDIENCE_INTERNAL, keyIds);
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> {
            String address = ClientAddressFilter.addressOf(exchange.getRequest());
            String path = exchange.getRequest().getPath().value();
            if (e instanceof FailedCallsExhausted) {
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(budget.retryAfter().toSeconds()));
                return Problems.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-calls",
                        "Too many failed calls", "Too many calls from this address failed authentication; retry after the time in Retry-After.",
                        path);
            }
            if (address != null) {
                budget.recordFailure(address);
            }
            return Problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
                    "unauthorized", "Unauthorized", "A valid Loki token is required (Authorization: Bearer ...).", path);
        };
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")))
                .authorizeExchange(ex -> ex
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/auth/login", "/api/auth/refresh").permitAll()
                        .pathMatchers(HttpMethod.GET, "/api/auth/jwks").permitAll()
                        .pathMatchers("/api/*/v3/api-docs/**", "/api/*/v3/api-docs").permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().permitAll())
                .oauth2ResourceServer(rs -> rs
                        .authenticationManagerResolver(exchange -> Mono.just(manager(exchange, users, internal, exchanger, budget, ended)))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN,
                                "forbidden", "Forbidden", "You are not allowed to do this.", exchange.getRequest().getPath().value())))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthorized))
                .build();
    }

    /**
     * Verifies a bearer for one request. A client address that used its failed-call budget gets only its
     * already-verified tokens checked (they cost nothing); any other token from it is refused unread.
     */
    private static ReactiveAuthenticationManager manager(ServerWebExchange exchange, VerifiedJwtCache users, VerifiedJwtCache internal,
                                                         ApiTokenExchanger exchanger, FailedCallBudget budget, EndedSessions ended) {
        String address = ClientAddressFilter.addressOf(exchange.getRequest());
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            boolean apiToken = token.startsWith(API_TOKEN_PREFIX);
            if (address != null && budget.exhausted(address) && !(apiToken ? exchanger.knows(token) : users.knows(token))) {
                return Mono.error(new FailedCallsExhausted());
            }
            Mono<Jwt> jwt = apiToken ? exchanger.exchange(token).flatMap(internal::decode)
                    // a user disabled or deleted since this JWT was issued: refused at once, reads too
                    : users.decode(token).filter(j -> !ended.ended(j))
                            .switchIfEmpty(Mono.error(() -> new InvalidBearerTokenException("The session ended: the account was disabled or deleted.")));
            return jwt.onErrorMap(JwtException.class, e -> new InvalidBearerTokenException("Invalid or expired token.", e))
                    .map(j -> new JwtAuthenticationToken(j, List.of(), j.getSubject()));
        };
    }

    /** The client address has no failed calls left in this window: its new tokens are not verified. */
    static final class FailedCallsExhausted extends AuthenticationException {
        FailedCallsExhausted() {
            super("too many failed calls from this address");
        }
    }

    private static VerifiedJwtCache decoder(GatewayProperties properties, String audience, KnownKeyIds keyIds) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri().toString()).build();
        OAuth2TokenValidator<Jwt> audienceCheck = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer("loki"), audienceCheck));
        return new VerifiedJwtCache(decoder, keyIds);
    }
}
