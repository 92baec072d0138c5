package dev.loki.alarm.change;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.support.LokiProblem;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollback from an alarm: the deployment that ran on the alarm's host (for an alarm without a host: on its node,
 * above or below) most recently before it fired, within the changes window, is rolled back through deploy-service's
 * own rollback, as the caller — deploy-service decides whether the caller may ({@code deploy.run} on its node) and
 * whether it can be rolled back; its refusals reach the caller as they are.
 */
@Component
public class Rollbacks {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Changes changes;
    private final WebClient deploy;
    private final JsonMapper json = JsonMapper.builder().build();

    Rollbacks(Changes changes, WebClient.Builder web, AlarmProperties properties) {
        this.changes = changes;
        this.deploy = web.clone().baseUrl(properties.deployUri().toString()).build();
    }

    /** @param deployment the new deployment, as deploy-service answered */
    public record Started(TimelineEntry.DeploymentRef rolledBack, Map<String, Object> deployment) {
    }

    /** The deployment to roll back for an alarm on {@code nodePath} (and {@code hostname}) that fired at {@code firedAt}. */
    public Mono<TimelineEntry.DeploymentRef> culprit(long alarmId, String nodePath, String hostname, Instant firedAt) {
        return changes.before(nodePath, hostname == null ? List.of() : List.of(hostname), firedAt).flatMap(found -> {
            if (found.unavailable().contains(Changes.DEPLOY)) {
                return Mono.error(new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE, "deploy-service-unavailable", "deploy-service unavailable",
                        "the deployments before alarm " + alarmId + " cannot be read now; try again shortly."));
            }
            return Mono.justOrEmpty(found.entries().stream()
                    .filter(e -> TimelineEntry.DEPLOYMENT.equals(e.kind()) && !e.at().isAfter(firedAt))
                    .map(TimelineEntry::deployment)
                    .filter(d -> hostname == null || d.touchedHosts().contains(hostname))
                    .findFirst());
        }).switchIfEmpty(Mono.error(() -> new LokiProblem(HttpStatus.CONFLICT, "nothing-to-roll-back", "Nothing to roll back",
                "no deployment ran on " + (hostname != null ? "host " + hostname : nodePath) + " in the " + changes.window().toMinutes()
                        + " minutes before alarm " + alarmId + " fired")));
    }

    /** Asks deploy-service, as the caller ({@code bearer}), to roll {@code culprit} back. */
    public Mono<Started> rollBack(TimelineEntry.DeploymentRef culprit, String bearer) {
        return deploy.post().uri("/api/deploy/deployments/{id}/rollback", culprit.id()).headers(h -> h.setBearerAuth(bearer))
                .retrieve().bodyToMono(JSON)
                .timeout(TIMEOUT)
                .map(started -> new Started(culprit, started))
                .onErrorMap(WebClientResponseException.class, e -> e.getStatusCode().is4xxClientError() ? relayed(e)
                        : new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE, "deploy-service-unavailable", "deploy-service unavailable",
                                "deploy-service could not roll deployment " + culprit.id() + " back now; try again shortly."))
                .onErrorMap(e -> !(e instanceof LokiProblem), e -> new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE, "deploy-service-unavailable",
                        "deploy-service unavailable", "deploy-service could not be asked; try again shortly."));
    }

    /** deploy-service's refusal (a problem) as this service's answer. */
    private LokiProblem relayed(WebClientResponseException e) {
        String slug = "conflict";
        String title = e.getStatusText();
        String detail = "deploy-service refused the rollback";
        try {
            JsonNode problem = json.readTree(e.getResponseBodyAsString());
            String type = problem.path("type").asString("");
            slug = type.isEmpty() ? slug : type.substring(type.lastIndexOf('/') + 1);
            title = problem.path("title").asString(title);
            detail = "deploy-service: " + problem.path("detail").asString(detail);
        } catch (RuntimeException unreadable) {
            // not a problem document: the status and its reason say enough
        }
        return new LokiProblem(e.getStatusCode(), slug, title, detail);
    }
}
