package dev.loki.alarm.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.InternalApi;
import dev.loki.support.InternalCalls;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The lifecycle status of the servers an incident's alarms are on, from asset-service ({@link InternalApi#SERVER_STATUSES}):
 * a server in {@code maintenance} or {@code pool} never pages. When asset-service cannot be asked, every server
 * counts as in service: an alarm is sent rather than lost.
 */
@Component
class ServerStatuses {

    private static final Logger log = LoggerFactory.getLogger(ServerStatuses.class);
    private static final ParameterizedTypeReference<Map<String, String>> STATUSES = new ParameterizedTypeReference<>() {
    };

    private final WebClient asset;

    ServerStatuses(WebClient.Builder web, InternalCalls internal, AlarmProperties properties) {
        this.asset = internal.authenticate(web).baseUrl(properties.assetUri().toString()).build();
    }

    /** The hostnames among {@code hostnames} whose server is in maintenance or in the pool. */
    Mono<java.util.Set<String>> quiet(Collection<String> hostnames) {
        if (hostnames.isEmpty()) {
            return Mono.just(java.util.Set.of());
        }
        List<String> all = List.copyOf(hostnames);
        return Flux.range(0, (all.size() + 499) / 500)
                .concatMap(chunk -> asset.get().uri(b -> b.path(InternalApi.SERVER_STATUSES)
                                .queryParam("hostname", all.subList(chunk * 500, Math.min(all.size(), chunk * 500 + 500)).toArray()).build())
                        .retrieve().bodyToMono(STATUSES)
                        .timeout(Duration.ofSeconds(2)))
                .flatMapIterable(Map::entrySet)
                .filter(e -> "maintenance".equals(e.getValue()) || "pool".equals(e.getValue()))
                .map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toSet())
                .onErrorResume(e -> {
                    log.warn("server statuses cannot be read from asset-service ({}); every server counts as in service", e.toString());
                    return Mono.just(java.util.Set.of());
                });
    }
}
