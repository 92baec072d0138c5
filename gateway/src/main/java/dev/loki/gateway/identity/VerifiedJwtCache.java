package dev.loki.gateway.identity;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSObject;

import reactor.core.publisher.Mono;

/**
 * Remembers JWTs whose signature and claims were already verified, so a client sending the same
 * token many times costs one verification. A remembered token is still refused once it expires.
 * A token naming a key id auth-service does not publish is refused without asking for the JWKS
 * again (see {@link KnownKeyIds}).
 */
final class VerifiedJwtCache implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final KnownKeyIds keyIds;
    private final Cache<String, Jwt> verified = Caffeine.newBuilder()
            .maximumSize(20_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    VerifiedJwtCache(ReactiveJwtDecoder delegate, KnownKeyIds keyIds) {
        this.delegate = delegate;
        this.keyIds = keyIds;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = known(token);
        if (known != null) {
            return Mono.just(known);
        }
        String kid;
        try {
            kid = JWSObject.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            return Mono.error(new BadJwtException("Malformed token", e));
        }
        return keyIds.mayVerify(kid).flatMap(worth -> worth
                ? delegate.decode(token).doOnNext(jwt -> verified.put(token, jwt))
                : Mono.error(new BadJwtException("The token is signed with a key Loki does not publish")));
    }

    /** Whether this token was verified before and has not expired: checking it costs nothing. */
    boolean knows(String token) {
        return known(token) != null;
    }

    private Jwt known(String token) {
        Jwt known = verified.getIfPresent(token);
        return known != null && known.getExpiresAt() != null && known.getExpiresAt().isAfter(Instant.now()) ? known : null;
    }
}
