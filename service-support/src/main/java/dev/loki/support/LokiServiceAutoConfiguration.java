package dev.loki.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

import dev.loki.events.EventCodec;
import reactor.core.publisher.Mono;

/**
 * Wiring every Loki service shares: requests must carry a Loki JWT (verified against
 * auth-service's JWKS — never a bare identity header), failures are problem+json, events go to Redis.
 */
@AutoConfiguration(before = {ReactiveOAuth2ResourceServerAutoConfiguration.class, WebFluxAutoConfiguration.class})
@EnableWebFluxSecurity
@EnableConfigurationProperties(LokiProperties.class)
public class LokiServiceAutoConfiguration {

    /** Audiences a service accepts: user access tokens and tokens the gateway exchanged for API tokens. */
    public static final Set<String> AUDIENCES = Set.of(LokiJwt.AUDIENCE_USER, LokiJwt.AUDIENCE_INTERNAL);

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder lokiJwtDecoder(LokiProperties properties) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.security().jwksUri().toString()).build();
        decoder.setJwtValidator(validator(properties.security().issuer(), AUDIENCES));
        return new VerifiedJwtCache(decoder);
    }

    /** Issuer, expiry and audience checks for Loki JWTs. */
    public static OAuth2TokenValidator<Jwt> validator(String issuer, Set<String> audiences) {
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(audiences::contains)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audience);
    }

    @Bean
    @ConditionalOnMissingBean
    SecurityWebFilterChain lokiSecurityWebFilterChain(ServerHttpSecurity http, LokiProperties properties,
                                                      ReactiveJwtDecoder decoder, InternalCalls internal) {
        // actuator itself listens on the management port (loki-defaults.properties), which only the cluster reaches;
        // the main port serves just the probes (/livez, /readyz)
        List<String> open = new ArrayList<>(List.of("/livez", "/readyz", "/actuator/health/**", "/actuator/health", "/actuator/info",
                "/actuator/prometheus", "/api/*/v3/api-docs/**", "/v3/api-docs/**"));
        open.addAll(properties.security().publicPaths());
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> ProblemResponses.write(exchange, HttpStatus.UNAUTHORIZED,
                "unauthorized", "Unauthorized", "A valid Loki token is required (Authorization: Bearer ...).");
        ServerAccessDeniedHandler forbidden = (exchange, e) -> ProblemResponses.write(exchange, HttpStatus.FORBIDDEN,
                "forbidden", "Forbidden", "You are not allowed to do this.");
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(ex -> ex
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers("/internal/**").access(internal.authorization())
                        .pathMatchers(open.toArray(String[]::new)).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(LokiServiceAutoConfiguration::authentication))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    InternalCalls lokiInternalCalls(LokiProperties properties) {
        return new InternalCalls(properties.security().internalToken());
    }

    /** No authorities from the JWT: its {@code admin} claim may be stale, so rights are always asked of auth-service. */
    private static Mono<AbstractAuthenticationToken> authentication(Jwt jwt) {
        return Mono.just(new JwtAuthenticationToken(jwt, List.of(), jwt.getSubject()));
    }

    /**
     * The OpenAPI document names the service and points "try it out" at the server it was loaded
     * from (the gateway), not at the service's own address.
     */
    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer lokiOpenApiCustomizer(
            @org.springframework.beans.factory.annotation.Value("${spring.application.name:loki}") String name) {
        return openApi -> {
            openApi.setServers(List.of(new io.swagger.v3.oas.models.servers.Server().url("/").description("through the gateway")));
            openApi.info(new io.swagger.v3.oas.models.info.Info().title("Loki " + name).version("v1")
                    .description("Part of the Loki public API; see docs/api.md. Authenticate with Authorization: Bearer <jwt or API token>."));
            if (openApi.getComponents() == null) {
                openApi.components(new io.swagger.v3.oas.models.Components());
            }
            openApi.getComponents().addSecuritySchemes("bearer",
                    new io.swagger.v3.oas.models.security.SecurityScheme().type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP).scheme("bearer"));
            openApi.addSecurityItem(new io.swagger.v3.oas.models.security.SecurityRequirement().addList("bearer"));
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Permissions lokiPermissions(org.springframework.web.reactive.function.client.WebClient.Builder builder, LokiProperties properties) {
        return new Permissions(builder, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(ReactiveStringRedisTemplate redis, EventCodec codec) {
        return new EventPublisher(redis, codec);
    }

    @Bean
    @ConditionalOnMissingBean
    ProblemDetailsAdvice problemDetailsAdvice() {
        return new ProblemDetailsAdvice();
    }

    /** A service with rows keyed by tree path (a {@link PathChangeHandler} bean) follows ptree-service's path-change log. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(name = "org.springframework.r2dbc.core.DatabaseClient")
    static class PathChangeFollowingConfiguration {

        @Bean
        @org.springframework.boot.autoconfigure.condition.ConditionalOnBean(PathChangeHandler.class)
        PathChangeFollowing lokiPathChangeFollowing(PathChangeHandler handler,
                                                    org.springframework.data.redis.connection.ReactiveRedisConnectionFactory redis,
                                                    org.springframework.r2dbc.core.DatabaseClient db,
                                                    org.springframework.transaction.ReactiveTransactionManager transactions,
                                                    EventCodec codec, org.springframework.web.reactive.function.client.WebClient.Builder web,
                                                    InternalCalls internal, LokiProperties properties,
                                                    @org.springframework.beans.factory.annotation.Value("${loki.path-changes.poll-interval:5s}")
                                                    java.time.Duration pollInterval) {
            return new PathChangeFollowing(handler, redis, db, transactions, codec, web, internal, properties, pollInterval);
        }
    }
}
