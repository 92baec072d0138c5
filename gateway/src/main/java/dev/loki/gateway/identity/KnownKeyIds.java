package dev.loki.gateway.identity;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.springframework.web.reactive.function.client.WebClient;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import reactor.core.publisher.Mono;

/**
 * The key ids auth-service publishes in its JWKS. A token naming a key id not among them would make
 * the JWT decoder fetch the JWKS again, for every such token; instead the list is fetched again at
 * most once per {@code refreshInterval} (a rotated key is learnt by the first token that names it),
 * and a token naming an unknown key id in between is refused without a fetch.
 */
final class KnownKeyIds {

    private final WebClient jwks;
    private final long refreshIntervalNanos;
    private final AtomicReference<Set<String>> known = new AtomicReference<>(Set.of());
    private final AtomicLong lastFetch = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final AtomicReference<Mono<Optional<Set<String>>>> inFlight = new AtomicReference<>();

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
        long last = lastFetch.get();
        long now = System.nanoTime();
        if (now - last < refreshIntervalNanos) {
            Mono<Optional<Set<String>>> pending = inFlight.get();
            return pending == null ? Mono.just(false) : pending.map(ids -> admits(ids, kid));
        }
        if (!lastFetch.compareAndSet(last, now)) {
            return mayVerify(kid);
        }
        Mono<Optional<Set<String>>> fetch = jwks.get().retrieve().bodyToMono(String.class)
                .timeout(Duration.ofSeconds(5))
                .map(KnownKeyIds::keyIds)
                .doOnNext(known::set)
                .map(Optional::of)
                // the list could not be read: the decoder decides (and answers 503 if it cannot read it either)
                .onErrorResume(e -> Mono.just(Optional.empty()))
                .doFinally(s -> inFlight.set(null))
                .cache();
        inFlight.set(fetch);
        return fetch.map(ids -> admits(ids, kid));
    }

    private static boolean admits(Optional<Set<String>> ids, String kid) {
        return ids.map(set -> set.contains(kid)).orElse(true);
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
