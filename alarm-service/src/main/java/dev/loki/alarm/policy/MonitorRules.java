package dev.loki.alarm.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.NodePath;
import dev.loki.support.Caller;
import reactor.core.publisher.Mono;

/**
 * The alert rules that apply to a node — on it or an ancestor — from monitor-service's rule API, read as the caller
 * (any signed-in caller may read rules). {@code null} when monitor-service cannot be asked within a few seconds.
 */
@Component
class MonitorRules {

    private static final Logger log = LoggerFactory.getLogger(MonitorRules.class);
    private static final ParameterizedTypeReference<Map<String, Object>> PAGE = new ParameterizedTypeReference<>() {
    };
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final WebClient monitor;

    MonitorRules(WebClient.Builder web, AlarmProperties properties) {
        this.monitor = web.baseUrl(properties.monitorUri().toString()).build();
    }

    /** The rules on {@code nodePath} or above it, nearest first; empty with {@code available} false when they cannot be read. */
    Mono<Found> applying(String nodePath) {
        List<String> above = NodePath.of(nodePath).selfAndAncestors();
        return Caller.bearer().flatMap(bearer -> monitor.get()
                        .uri(b -> b.path("/api/monitor/rules").queryParam("nodePath", nodePath).queryParam("size", 500).build())
                        .headers(h -> h.setBearerAuth(bearer))
                        .retrieve().bodyToMono(PAGE)
                        .timeout(TIMEOUT))
                .map(page -> {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> items = (List<Map<String, Object>>) page.getOrDefault("items", List.of());
                    return new Found(items.stream()
                            .filter(r -> above.contains(String.valueOf(r.get("nodePath"))))
                            .sorted(java.util.Comparator.comparingInt((Map<String, Object> r) -> -String.valueOf(r.get("nodePath")).length())
                                    .thenComparingLong(r -> ((Number) r.get("id")).longValue()))
                            .map(MonitorRules::applied).toList(), true);
                })
                .onErrorResume(e -> {
                    log.warn("alert rules cannot be read from monitor-service: {}", e.toString());
                    return Mono.just(new Found(List.of(), false));
                });
    }

    record Found(List<EffectivePolicy.AppliedRule> rules, boolean available) {
    }

    private static EffectivePolicy.AppliedRule applied(Map<String, Object> r) {
        return new EffectivePolicy.AppliedRule(((Number) r.get("id")).longValue(), String.valueOf(r.get("nodePath")), String.valueOf(r.get("name")),
                String.valueOf(r.get("metric")), String.valueOf(r.get("comparator")), ((Number) r.get("threshold")).doubleValue(),
                ((Number) r.get("forSeconds")).intValue(), r.get("noDataSeconds") instanceof Number n ? n.intValue() : null,
                String.valueOf(r.get("severity")), Boolean.TRUE.equals(r.get("enabled")));
    }
}
