package dev.loki.auth.jwt;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.loki.support.LokiJwt;
import dev.loki.support.LokiServiceAutoConfiguration;

/** auth-service verifies JWTs with its own public key instead of fetching its own JWKS over HTTP. */
@Configuration(proxyBeanMethods = false)
class LocalJwtDecoderConfiguration {

    @Bean
    ReactiveJwtDecoder lokiJwtDecoder(SigningKeys keys) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(keys.publicKey()).build();
        decoder.setJwtValidator(LokiServiceAutoConfiguration.validator(LokiJwt.ISSUER, LokiServiceAutoConfiguration.AUDIENCES));
        return new dev.loki.support.VerifiedJwtCache(decoder);
    }
}
