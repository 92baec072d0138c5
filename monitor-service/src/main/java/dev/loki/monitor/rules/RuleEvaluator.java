package dev.loki.monitor.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.loki.events.AlertFired;
import dev.loki.events.AlertResolved;
import dev.loki.events.Events;
import dev.loki.monitor.figures.PlatformClient;
import dev.loki.monitor.query.QueryService;
import dev.loki.monitor.system.MonitorProperties;
import dev.loki.monitor.tsdb.OpenTsdb;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Evaluates the enabled alert rules every {@code rulesInterval} — on one replica only: the leader
 * chosen through ZooKeeper (Curator's LeaderLatch). A series fires when its trailing run of values
 * meeting the rule (by data timestamps) spans at least {@code forSeconds}; it resolves when its
 * newest value no longer meets it. Each transition publishes one event ({@code alert-fired},
 * {@code alert-resolved}); the shared state in {@link AlertState} keeps it to one per series.
 */
@Component
class RuleEvaluator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RuleEvaluator.class);
    private static final String SOURCE = "monitor-service";

    private final RuleRepository rules;
    private final AlertState state;
    private final QueryService queries;
    private final PlatformClient platform;
    private final LeaderLatch latch;
    private final Duration interval;
    private Disposable schedule;

    RuleEvaluator(RuleRepository rules, AlertState state, QueryService queries, PlatformClient platform,
                  CuratorFramework zk, MonitorProperties properties) {
        this.rules = rules;
        this.state = state;
        this.queries = queries;
        this.platform = platform;
        this.latch = new LeaderLatch(zk, "/loki/monitor/rules-leader");
        this.interval = properties.rulesInterval();
    }

    boolean leading() {
        return latch.hasLeadership();
    }

    @Override
    public void start() {
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not join the rule evaluators' leader election", e);
        }
        schedule = Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> leading() ? evaluateAll().onErrorResume(e -> {
                    log.warn("rule evaluation failed: {}", e.toString());
                    return Mono.empty();
                }) : Mono.empty())
                .subscribe();
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.dispose();
        }
        try {
            latch.close();
        } catch (Exception e) {
            log.debug("leaving the election: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null && !schedule.isDisposed();
    }

    Mono<Void> evaluateAll() {
        return rules.enabled().concatMap(rule -> evaluate(rule).onErrorResume(e -> {
            log.warn("rule {} ({}) not evaluated: {}", rule.id(), rule.name(), e.toString());
            return Mono.empty();
        })).then();
    }

    private Mono<Void> evaluate(Rule rule) {
        return platform.scope(rule.nodePath()).flatMap(scope -> {
            List<Map<String, Object>> filters = filters(rule, scope);
            if (filters == null) {
                return Mono.empty(); // nothing of this kind is bound below the node
            }
            Map<String, Object> sub = new LinkedHashMap<>();
            sub.put("aggregator", rule.aggregator());
            sub.put("metric", rule.metric());
            if (rule.downsample() != null) {
                sub.put("downsample", rule.downsample());
            }
            sub.put("filters", filters);
            long now = System.currentTimeMillis();
            long from = now - Math.max(rule.forSeconds() * 1000L + Duration.ofMinutes(10).toMillis(),
                    rule.noDataSeconds() == null ? 0 : rule.noDataSeconds() * 1000L + Duration.ofMinutes(1).toMillis());
            return queries.series(from, now, List.of(sub)).contextWrite(OpenTsdb::alerting)
                    .flatMap(all -> Flux.fromIterable(all).concatMap(series -> judge(rule, series))
                            .then(rule.noDataSeconds() == null ? Mono.empty() : judgeSilence(rule, scope, all, from / 1000, now / 1000)));
        });
    }

    /**
     * No data: each host (host.* metrics) or domain (url.* metrics) bound below the rule's node whose newest value
     * is older than {@code noDataSeconds} — or that has none in the window — raises an alert of its own (comparator
     * {@link Rule#NO_DATA}, value: the seconds it has been silent, at least); one that reports again clears it, and so
     * does one no longer bound there.
     */
    private Mono<Void> judgeSilence(Rule rule, PlatformClient.Scope scope, List<Map<String, Object>> all, long fromSeconds, long nowSeconds) {
        String key = rule.metric().startsWith("host.") ? "host" : "domain";
        List<String> expected = key.equals("host") ? List.copyOf(scope.hostnames())
                : scope.urls().stream().map(u -> String.valueOf(u.get("domain"))).distinct().toList();
        Map<String, Long> newest = new java.util.HashMap<>();
        Map<String, Double> newestValue = new java.util.HashMap<>();
        for (Map<String, Object> series : all) {
            Object member = series.get("tags") instanceof Map<?, ?> tags ? tags.get(key) : null;
            if (member != null && series.get("dps") instanceof Map<?, ?> dps) {
                dps.forEach((t, v) -> {
                    long at = Long.parseLong(t.toString());
                    if (v instanceof Number n && at >= newest.getOrDefault(member.toString(), Long.MIN_VALUE)) {
                        newest.put(member.toString(), at);
                        newestValue.put(member.toString(), n.doubleValue());
                    }
                });
            }
        }
        String prefix = rule.id() + ":" + Rule.NO_DATA + ":" + key + "=";
        long cutoff = nowSeconds - rule.noDataSeconds();
        Mono<Void> judged = Flux.fromIterable(expected).concatMap(member -> {
            String fingerprint = prefix + member;
            Long last = newest.get(member);
            Map<String, String> series = Map.of(key, member);
            if (last != null && last >= cutoff) {
                return state.clear(rule.id(), fingerprint, () -> new AlertResolved(Events.newId(), Events.now(), SOURCE, rule.nodePath(),
                        rule.id(), rule.name(), rule.metric(), series, newestValue.get(member), fingerprint));
            }
            double silent = nowSeconds - (last != null ? last : fromSeconds);
            return state.raise(rule.id(), fingerprint, silent, () -> new AlertFired(Events.newId(), Events.now(), SOURCE, rule.nodePath(),
                    rule.id(), rule.name(), rule.severity(), rule.metric(), series, silent, Rule.NO_DATA, rule.noDataSeconds(), fingerprint));
        }).then();
        // a member no longer bound below the node is no longer expected to report
        Mono<Void> gone = state.firing(rule.id()).flatMapMany(firing -> Flux.fromIterable(firing.keySet()))
                .filter(fingerprint -> fingerprint.startsWith(prefix) && !expected.contains(fingerprint.substring(prefix.length())))
                .concatMap(fingerprint -> state.clear(rule.id(), fingerprint, () -> new AlertResolved(Events.newId(), Events.now(), SOURCE,
                        rule.nodePath(), rule.id(), rule.name(), rule.metric(), Map.of(key, fingerprint.substring(prefix.length())), null,
                        fingerprint)))
                .then();
        return judged.then(gone);
    }

    private Mono<Void> judge(Rule rule, Map<String, Object> series) {
        TreeMap<Long, Double> points = new TreeMap<>();
        if (series.get("dps") instanceof Map<?, ?> dps) {
            dps.forEach((t, v) -> {
                if (v instanceof Number n) {
                    points.put(Long.parseLong(t.toString()), n.doubleValue());
                }
            });
        }
        if (points.isEmpty()) {
            return Mono.empty();
        }
        Map<String, String> tags = new TreeMap<>();
        if (series.get("tags") instanceof Map<?, ?> t) {
            t.forEach((k, v) -> tags.put(k.toString(), v.toString()));
        }
        String fingerprint = rule.id() + ":" + tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        long latest = points.lastKey();
        double value = points.lastEntry().getValue();
        if (!rule.holds(value)) {
            return state.clear(rule.id(), fingerprint, () -> new AlertResolved(Events.newId(), Events.now(), SOURCE, rule.nodePath(),
                    rule.id(), rule.name(), rule.metric(), tags, value, fingerprint)).then();
        }
        long since = latest;
        for (Map.Entry<Long, Double> p : points.descendingMap().entrySet()) {
            if (!rule.holds(p.getValue())) {
                break;
            }
            since = p.getKey();
        }
        if (latest - since < rule.forSeconds()) {
            return Mono.empty();
        }
        return state.raise(rule.id(), fingerprint, value, () -> new AlertFired(Events.newId(), Events.now(), SOURCE, rule.nodePath(),
                rule.id(), rule.name(), rule.severity(), rule.metric(), tags, value, rule.comparator(), rule.threshold(), fingerprint)).then();
    }

    /** The rule's own tags, narrowed to what is bound below its node; null when nothing of the kind is. */
    private static List<Map<String, Object>> filters(Rule rule, PlatformClient.Scope scope) {
        List<Map<String, Object>> filters = new ArrayList<>();
        rule.tags().forEach((k, v) -> filters.add(filter(v.contains("*") ? "wildcard" : "literal_or", k, v)));
        if (rule.metric().startsWith("host.")) {
            if (scope.hostnames().isEmpty()) {
                return null;
            }
            filters.add(filter("literal_or", "host", String.join("|", scope.hostnames())));
        } else if (rule.metric().startsWith("url.")) {
            if (scope.urls().isEmpty()) {
                return null;
            }
            filters.add(filter("literal_or", "domain", scope.urls().stream().map(u -> u.get("domain")).distinct().collect(Collectors.joining("|"))));
        }
        return filters;
    }

    private static Map<String, Object> filter(String type, String tagk, String value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("tagk", tagk);
        f.put("filter", value);
        f.put("groupBy", true);
        return f;
    }
}
