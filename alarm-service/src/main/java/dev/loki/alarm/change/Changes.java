package dev.loki.alarm.change;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.InternalApi;
import dev.loki.events.RecentDeployments;
import dev.loki.events.RecentGrants;
import dev.loki.events.RecentTreeChanges;
import dev.loki.support.InternalCalls;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Mono;

/**
 * What changed under a node and on its hosts, asked of the services that hold each kind of change (the internal
 * token): the deployments that ran there (deploy-service, {@link InternalApi#RECENT_DEPLOYMENTS}), the tree edits and
 * binding changes (ptree-service, {@link InternalApi#RECENT_TREE_CHANGES}) and the grants given or revoked there
 * (auth-service, {@link InternalApi#RECENT_GRANTS}), asked at once. A service that does not answer within a few
 * seconds is named in {@code unavailable} instead of failing what asked: an alarm is shown, a notification sent,
 * with what the others said.
 */
@Component
public class Changes {

    static final String DEPLOY = "deploy-service";
    static final String PTREE = "ptree-service";
    static final String AUTH = "auth-service";
    private static final Logger log = LoggerFactory.getLogger(Changes.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final WebClient deploy;
    private final WebClient ptree;
    private final WebClient auth;
    private final Duration window;

    Changes(WebClient.Builder web, InternalCalls internal, AlarmProperties properties, LokiProperties loki) {
        this.deploy = internal.authenticate(web.clone()).baseUrl(properties.deployUri().toString()).build();
        this.ptree = internal.authenticate(web.clone()).baseUrl(properties.ptreeUri().toString()).build();
        this.auth = internal.authenticate(web.clone()).baseUrl(loki.security().authUri().toString()).build();
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

    /** What changed at some time in [{@code since}, {@code until}] on the node or on the hosts, newest first. */
    public Mono<Found> between(String nodePath, Collection<String> hostnames, Instant since, Instant until) {
        List<String> hosts = hostnames.stream().distinct().limit(100).toList();
        Function<String, Function<UriBuilder, java.net.URI>> query = path -> b -> {
            b.path(path).queryParam("since", since.toString()).queryParam("until", until.toString());
            if (nodePath != null) {
                b.queryParam("path", nodePath);
            }
            return b.queryParam("hostname", hosts.toArray()).build();
        };
        Mono<Asked> deployments = ask(DEPLOY, deploy.get().uri(query.apply(InternalApi.RECENT_DEPLOYMENTS)).retrieve()
                .bodyToMono(RecentDeployments.class).map(r -> r.deployments().stream().map(Changes::entry).toList()));
        Mono<Asked> tree = ask(PTREE, ptree.get().uri(query.apply(InternalApi.RECENT_TREE_CHANGES)).retrieve()
                .bodyToMono(RecentTreeChanges.class).map(r -> r.changes().stream().map(Changes::entry).toList()));
        // grants are given on nodes: a host alone has none
        Mono<Asked> grants = nodePath == null ? Mono.just(new Asked(List.of(), null)) : ask(AUTH, auth.get()
                .uri(b -> b.path(InternalApi.RECENT_GRANTS).queryParam("path", nodePath).queryParam("since", since.toString())
                        .queryParam("until", until.toString()).build())
                .retrieve().bodyToMono(RecentGrants.class).map(r -> r.changes().stream().map(Changes::entry).toList()));
        return Mono.zip(deployments, tree, grants).map(t -> {
            List<TimelineEntry> entries = new ArrayList<>();
            List<String> unavailable = new ArrayList<>();
            for (Asked asked : List.of(t.getT1(), t.getT2(), t.getT3())) {
                entries.addAll(asked.entries());
                if (asked.failed() != null) {
                    unavailable.add(asked.failed());
                }
            }
            entries.sort(Comparator.comparing(TimelineEntry::at).reversed());
            return new Found(entries, unavailable);
        });
    }

    /** One service's answer, or the service's name when it gave none. */
    private record Asked(List<TimelineEntry> entries, String failed) {
    }

    private static Mono<Asked> ask(String service, Mono<List<TimelineEntry>> call) {
        return call.timeout(TIMEOUT).map(entries -> new Asked(entries, null)).onErrorResume(e -> {
            log.warn("recent changes cannot be read from {}: {}", service, e.toString());
            return Mono.just(new Asked(List.of(), service));
        });
    }

    static TimelineEntry entry(RecentDeployments.Deployment d) {
        String what = d.rollbackOf() != null ? "rollback of deployment " + d.rollbackOf() + " to version " + d.version()
                : "deployment " + d.id() + " of version " + d.version();
        return new TimelineEntry(d.startedAt(), TimelineEntry.DEPLOYMENT, null, d.nodePath(), null, d.requestedBy(),
                what + " on " + d.nodePath() + " by " + d.requestedBy() + ": " + d.status(), null,
                new TimelineEntry.DeploymentRef(d.id(), d.templateId(), d.version(), d.status(), d.finishedAt(), d.rollbackOf(), d.hosts(),
                        d.touchedHosts()));
    }

    static TimelineEntry entry(RecentTreeChanges.Entry c) {
        boolean binding = c.hostname() != null;
        return new TimelineEntry(c.at(), binding ? TimelineEntry.BINDING : TimelineEntry.TREE, c.kind(), c.nodePath(), c.hostname(), c.actor(),
                c.summary(), null, null);
    }

    static TimelineEntry entry(RecentGrants.Entry g) {
        String what = "granted".equals(g.action()) ? g.privilege() + " on " + g.nodePath() + " granted to " + g.subject()
                : g.privilege() + " on " + g.nodePath() + " revoked from " + g.subject();
        return new TimelineEntry(g.at(), TimelineEntry.GRANT, g.action(), g.nodePath(), null, g.actor(), what + " by " + g.actor(), null, null);
    }
}
