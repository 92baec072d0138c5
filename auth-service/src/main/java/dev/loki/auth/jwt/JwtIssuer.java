package dev.loki.auth.jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.loki.support.LokiJwt;

/**
 * Signs Loki's JWTs. Claims: {@code iss=loki}, {@code aud}, {@code sub} ({@code user:<name>} or
 * {@code token:<id>}), {@code name} (the user, or the token's owner), {@code admin}, {@code iat},
 * {@code exp}, {@code jti}.
 */
@Component
public class JwtIssuer {

    private final SigningKeys keys;
    private final RSASSASigner signer;

    JwtIssuer(SigningKeys keys) throws JOSEException {
        this.keys = keys;
        this.signer = new RSASSASigner(keys.signingKey());
    }

    public String issue(String subject, String name, boolean admin, String audience, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(LokiJwt.ISSUER)
                .audience(List.of(audience))
                .subject(subject)
                .claim("name", name)
                .claim("admin", admin)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(keys.signingKey().getKeyID()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a JWT", e);
        }
        return jwt.serialize();
    }
}
