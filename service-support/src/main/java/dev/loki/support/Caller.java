package dev.loki.support;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import reactor.core.publisher.Mono;

/**
 * Who is calling, as proven by the verified Loki JWT.
 *
 * @param subject {@code user:<name>} or {@code token:<id>} (grants are made to these)
 * @param username the user, or the owner of the API token
 * @param admin whether the user was an administrator when the token was issued (never true for API
 *              tokens); for display only: decisions ask auth-service, which knows the current state
 */
public record Caller(String subject, String username, boolean admin) {

    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(ctx -> ctx.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> of(((JwtAuthenticationToken) auth).getToken()));
    }

    /** The caller's verified Loki JWT, to pass on when this service calls another on its behalf. */
    public static Mono<String> bearer() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(ctx -> ctx.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> ((JwtAuthenticationToken) auth).getToken().getTokenValue());
    }

    public static Caller of(Jwt jwt) {
        Boolean admin = jwt.getClaim("admin");
        String name = jwt.getClaimAsString("name");
        return new Caller(jwt.getSubject(), name != null ? name : jwt.getSubject(), Boolean.TRUE.equals(admin));
    }

    public boolean isToken() {
        return subject.startsWith("token:");
    }
}
