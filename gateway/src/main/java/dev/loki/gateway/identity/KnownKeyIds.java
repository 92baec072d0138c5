package dev.loki.gateway.identity;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.springframework.web.reactive.function.client.WebClient;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import reactor.core.publisher.Mono;

/**
 * The key ids auth-service publishes in its JWKS. A token naming a key id not among them would make
 * the JWT decoder fetch the JWKS again, for every such token; instead the list is read again at most
 * once per {@code refreshInterval} (a rotated key is learnt by the first token that names it), and in
 * between a token naming an unknown key id is judged by the last reading, without a fetch.
 */
final class KnownKeyIds {

    /** One reading of the JWKS: when it started, and its key ids (empty when it could not be read). */
    private record Reading(long startedAt, Mono<Optional<Set<String>>> keyIds) {
    }

    private final WebClient jwks;
    private final long refreshIntervalNanos;
    private final AtomicReference<Set<String>> known = new AtomicReference<>(Set.of());
    private final AtomicReference<Reading> last = new AtomicReference<>();

    KnownKeyIds(WebClient.Builder builder, URI jwksUri, Duration refreshInterval) {
        this.jwks = builder.clone().baseUrl(jwksUri.toString()).build();
        this.refreshIntervalNanos = refreshInterval.toNanos();
    }

    /** Whether a token with this key id is worth verifying. */
    Mono<Boolean> mayVerify(String kid) {
        if (kid == null || known.get().contains(kid)) {
            // no kid: the decoder tries the keys it holds, without a fetch of its own
            return Mono.just(true);
        }
        long now = System.nanoTime();
        Reading reading = last.get();
        if (reading == null || now - reading.startedAt() >= refreshIntervalNanos) {
            Reading fresh = new Reading(now, read());
            reading = last.compareAndSet(reading, fresh) ? fresh : last.get();
        }
        return reading.keyIds().map(ids -> ids.map(set -> set.contains(kid))
                // the list could not be read: the decoder decides (and answers 503 if it cannot read it either)
                .orElse(true));
    }

    private Mono<Optional<Set<String>>> read() {
        return jwks.get().retrieve().bodyToMono(String.class)
                .timeout(Duration.ofSeconds(5))
                .map(KnownKeyIds::keyIds)
                .doOnNext(known::set)
                .map(Optional::of)
                .onErrorResume(e -> Mono.just(Optional.empty()))
                .cache();
    }

    private static Set<String> keyIds(String body) {
        try {
            return JWKSet.parse(body).getKeys().stream().map(JWK::getKeyID).filter(id -> id != null)
                    .collect(Collectors.toUnmodifiableSet());
        } catch (ParseException e) {
            throw new IllegalStateException("auth-service's JWKS could not be read", e);
        }
    }
}
