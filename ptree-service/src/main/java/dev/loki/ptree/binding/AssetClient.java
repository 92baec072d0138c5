package dev.loki.ptree.binding;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.loki.ptree.system.PtreeProperties;
import dev.loki.support.LokiProblem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Asks asset-service (with the caller's JWT) which hostnames exist. */
@Component
class AssetClient {

    private final WebClient asset;
    private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("asset-service");

    AssetClient(WebClient.Builder builder, PtreeProperties properties) {
        this.asset = builder.baseUrl(properties.assetUri()).build();
    }

    /** The hostnames of the list that asset-service does not know, in the order given. */
    Mono<List<String>> unknown(List<String> hostnames, String bearer) {
        return Flux.fromIterable(hostnames)
                .flatMapSequential(h -> asset.get().uri("/api/asset/servers/by-hostname/{h}", h)
                        .headers(headers -> headers.setBearerAuth(bearer))
                        .retrieve().toBodilessEntity()
                        .timeout(Duration.ofSeconds(5))
                        .transformDeferred(CircuitBreakerOperator.of(breaker))
                        .map(ok -> "")
                        .onErrorResume(WebClientResponseException.NotFound.class, e -> Mono.just(h)), 16)
                .filter(h -> !h.isEmpty())
                .collectList()
                .onErrorMap(e -> !(e instanceof LokiProblem), e -> new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE,
                        "asset-service-unavailable", "asset-service unavailable",
                        "asset-service could not be asked whether these servers exist; try again shortly."));
    }
}
