package dev.loki.alarm.change;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.InternalApi;
import dev.loki.events.RecentDeployments;
import dev.loki.support.InternalCalls;
import reactor.core.publisher.Mono;

/**
 * What changed under a node and on its hosts: the deployments that ran there, from deploy-service
 * ({@link InternalApi#RECENT_DEPLOYMENTS}). When deploy-service cannot be asked within a few seconds the answer
 * says so ({@code unavailable}) instead of failing what asked: an alarm is shown, a notification sent, without them.
 */
@Component
public class Changes {

    static final String DEPLOY = "deploy-service";
    private static final Logger log = LoggerFactory.getLogger(Changes.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final WebClient deploy;
    private final Duration window;

    Changes(WebClient.Builder web, InternalCalls internal, AlarmProperties properties) {
        this.deploy = internal.authenticate(web).baseUrl(properties.deployUri().toString()).build();
        this.window = properties.changesWindow();
    }

    /** How far back before an alarm its "what changed" looks. */
    public Duration window() {
        return window;
    }

    /** @param unavailable the services that could not be asked, so {@code entries} may miss their changes */
    public record Found(List<TimelineEntry> entries, List<String> unavailable) {
    }

    /** What changed on the node (itself, above or below) or on the hosts in the window before {@code at} (30 minutes). */
    public Mono<Found> before(String nodePath, Collection<String> hostnames, Instant at) {
        return between(nodePath, hostnames, at.minus(window), at);
    }

    /** The deployments that ran at some time in [{@code since}, {@code until}] on the node or on the hosts, newest first. */
    public Mono<Found> between(String nodePath, Collection<String> hostnames, Instant since, Instant until) {
        List<String> hosts = hostnames.stream().distinct().limit(100).toList();
        return deploy.get().uri(b -> {
                    b.path(InternalApi.RECENT_DEPLOYMENTS).queryParam("since", since.toString()).queryParam("until", until.toString());
                    if (nodePath != null) {
                        b.queryParam("path", nodePath);
                    }
                    return b.queryParam("hostname", hosts.toArray()).build();
                })
                .retrieve().bodyToMono(RecentDeployments.class)
                .timeout(TIMEOUT)
                .map(recent -> new Found(recent.deployments().stream().map(Changes::entry).toList(), List.of()))
                .onErrorResume(e -> {
                    log.warn("recent deployments cannot be read from deploy-service: {}", e.toString());
                    return Mono.just(new Found(List.of(), List.of(DEPLOY)));
                });
    }

    static TimelineEntry entry(RecentDeployments.Deployment d) {
        String what = d.rollbackOf() != null ? "rollback of deployment " + d.rollbackOf() + " to version " + d.version()
                : "deployment " + d.id() + " of version " + d.version();
        return new TimelineEntry(d.startedAt(), TimelineEntry.DEPLOYMENT, d.nodePath(), null, d.requestedBy(),
                what + " on " + d.nodePath() + " by " + d.requestedBy() + ": " + d.status(), null,
                new TimelineEntry.DeploymentRef(d.id(), d.templateId(), d.version(), d.status(), d.finishedAt(), d.rollbackOf(), d.hosts(),
                        d.touchedHosts()));
    }
}
