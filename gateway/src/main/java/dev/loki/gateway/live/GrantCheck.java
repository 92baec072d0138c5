package dev.loki.gateway.live;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.events.Privilege;
import dev.loki.gateway.system.GatewayProperties;
import reactor.core.publisher.Mono;

/**
 * Asks auth-service (the authority) whether a subject holds a privilege on a node, with the subject's
 * own token; answers are remembered for 5 s. The live stream uses it to show an event only to those the
 * REST API would show it to.
 */
@Component
class GrantCheck {

    private final WebClient auth;
    private final Cache<String, Boolean> answers = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(5))
            .maximumSize(50_000).build();

    GrantCheck(WebClient.Builder builder, GatewayProperties properties) {
        this.auth = builder.clone().baseUrl(properties.authUri().toString()).build();
    }

    /** Whether {@code subject} holds {@code privilege} on {@code nodePath}; false when auth-service cannot say. */
    Mono<Boolean> holds(String subject, String nodePath, Privilege privilege, Mono<String> bearer) {
        String key = subject + " " + privilege.wire() + " " + nodePath;
        Boolean known = answers.getIfPresent(key);
        if (known != null) {
            return Mono.just(known);
        }
        return bearer.flatMap(jwt -> auth.get()
                        .uri(b -> b.path("/api/auth/check").queryParam("subject", subject).queryParam("nodePath", nodePath)
                                .queryParam("privilege", privilege.wire()).build())
                        .headers(h -> h.setBearerAuth(jwt))
                        .retrieve().bodyToMono(Answer.class)
                        .timeout(Duration.ofSeconds(5)))
                .map(Answer::allowed)
                .doOnNext(allowed -> answers.put(key, allowed))
                .onErrorReturn(false)
                .defaultIfEmpty(false);
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(boolean allowed) {
    }
}
