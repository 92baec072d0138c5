package dev.loki.gateway.identity;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
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
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

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
    SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, GatewayProperties properties, ApiTokenExchanger exchanger) {
        ReactiveJwtDecoder users = decoder(properties, AUDIENCE_USER);
        ReactiveJwtDecoder internal = decoder(properties, AUDIENCE_INTERNAL);
        ReactiveAuthenticationManager manager = authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            Mono<Jwt> jwt = token.startsWith(API_TOKEN_PREFIX)
                    ? exchanger.exchange(token).flatMap(internal::decode)
                    : users.decode(token);
            return jwt.onErrorMap(JwtException.class, e -> new InvalidBearerTokenException("Invalid or expired token.", e))
                    .map(j -> new JwtAuthenticationToken(j, List.of(), j.getSubject()));
        };
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
                "unauthorized", "Unauthorized", "A valid Loki token is required (Authorization: Bearer ...).",
                exchange.getRequest().getPath().value());
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
                        .authenticationManagerResolver(exchange -> Mono.just(manager))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((exchange, e) -> Problems.write(exchange.getResponse(), HttpStatus.FORBIDDEN,
                                "forbidden", "Forbidden", "You are not allowed to do this.", exchange.getRequest().getPath().value())))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthorized))
                .build();
    }

    private static ReactiveJwtDecoder decoder(GatewayProperties properties, String audience) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri().toString()).build();
        OAuth2TokenValidator<Jwt> audienceCheck = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer("loki"), audienceCheck));
        return new VerifiedJwtCache(decoder);
    }
}
