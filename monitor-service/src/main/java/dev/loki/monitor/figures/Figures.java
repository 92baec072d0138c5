package dev.loki.monitor.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import dev.loki.monitor.query.QueryService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The seed's figures, computed from the raw series collectors write (see docs/metrics.md). Every query
 * goes through {@link QueryService}, so dashboards refreshing over the same window read only their
 * newest minutes from OpenTSDB.
 */
@Service
class Figures {

    /** A time series as {@code {epoch seconds → value}}, ascending. */
    record Series(TreeMap<Long, Double> points) {

        Map<String, Double> dps() {
            Map<String, Double> out = new LinkedHashMap<>();
            points.forEach((t, v) -> out.put(Long.toString(t), v));
            return out;
        }
    }

    /** Per bucket: requests by status class, and the requests and summed response time of URL traffic. */
    private static final class Traffic {
        final TreeMap<Long, double[]> byStatus = new TreeMap<>(); // 2xx, 3xx, 4xx, 5xx
        final TreeMap<Long, double[]> responseTime = new TreeMap<>(); // Σ rt × requests, Σ requests
        final TreeMap<Long, Double> bytes = new TreeMap<>();
    }

    private final QueryService queries;

    Figures(QueryService queries) {
        this.queries = queries;
    }

    // ------------------------------------------------------------------ hosts

    /** Mean over hosts (pool hosts left out) of each host's average usage per bucket. */
    Mono<Map<String, Object>> cpu(Window window, Set<String> pool) {
        return perHost("host.cpu.usage", window, null).map(byHost -> {
            Map<String, TreeMap<Long, Double>> counted = new TreeMap<>(byHost);
            counted.keySet().removeAll(pool);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("metric", "host.cpu.usage");
            out.put("downsample", window.interval());
            out.put("hosts", counted.size());
            out.put("excludedPoolHosts", byHost.keySet().stream().filter(pool::contains).count());
            out.put("dps", meanAcross(counted.values()).dps());
            return out;
        });
    }

    /** For each node: the average cpu/mem/disk usage over the window of the hosts bound below it (pool hosts left out). */
    Mono<List<Map<String, Object>>> resources(Window window, Map<PlatformClient.TreeNode, List<String>> hostsByNode, Set<String> pool) {
        return Flux.fromIterable(List.of("host.cpu.usage", "host.mem.usage", "host.disk.usage"))
                .concatMap(metric -> perHost(metric, window, null).map(byHost -> Map.entry(metric, windowMeans(byHost))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(means -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    hostsByNode.forEach((node, hosts) -> {
                        List<String> counted = hosts.stream().filter(h -> !pool.contains(h)).toList();
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("nodeId", node.id());
                        row.put("path", node.path());
                        row.put("hosts", counted.size());
                        row.put("cpu", meanOf(counted, means.get("host.cpu.usage")));
                        row.put("mem", meanOf(counted, means.get("host.mem.usage")));
                        row.put("disk", meanOf(counted, means.get("host.disk.usage")));
                        out.add(row);
                    });
                    return out;
                });
    }

    // ------------------------------------------------------------------ URLs

    /** Domains with requests in the window, busiest first. */
    Mono<List<Map<String, Object>>> domains(Window window) {
        Map<String, Object> sub = sub("sum", "url.requests", window.interval() + "-sum", List.of(filter("wildcard", "domain", "*", true)));
        return queries.series(window.startMs(), window.endMs(), List.of(sub)).map(series -> series.stream()
                .map(s -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("domain", tags(s).get("domain"));
                    row.put("requests", Math.round(points(s).values().stream().mapToDouble(Double::doubleValue).sum()));
                    return row;
                })
                .sorted(Comparator.comparing((Map<String, Object> r) -> (Long) r.get("requests")).reversed())
                .toList());
    }

    /** qps, response time, bandwidth and availability of one domain (summed over its paths). */
    Mono<Map<String, Object>> domain(String domain, Window window) {
        return traffic(window, List.of(filter("literal_or", "domain", domain, true)), null).map(traffic -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("domain", domain);
            out.put("downsample", window.interval());
            out.putAll(figures(traffic, window));
            out.put("bandwidthBytes", new Series(divide(traffic.bytes, window.seconds())).dps());
            return out;
        });
    }

    /** Availability, response time and qps of the URLs bound to a node and its descendants. */
    Mono<Map<String, Object>> node(PlatformClient.TreeNode node, List<PlatformClient.BoundUrl> urls, Window window) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodeId", node.id());
        out.put("path", node.path());
        out.put("urls", urls.stream().map(u -> u.domain() + u.path()).distinct().sorted().toList());
        out.put("downsample", window.interval());
        if (urls.isEmpty()) {
            out.putAll(figures(new Traffic(), window));
            return Mono.just(out);
        }
        return traffic(window, urlFilters(urls), bound(urls)).map(traffic -> {
            out.putAll(figures(traffic, window));
            return out;
        });
    }

    /** n-day averages of a node: availability, response time and qps over the whole window, and per day. */
    Mono<Map<String, Object>> summary(PlatformClient.TreeNode node, List<PlatformClient.BoundUrl> urls, int days, long nowMs) {
        Window window = Window.of(Long.toString(nowMs - days * 86_400_000L), Long.toString(nowMs), "1h", "1d-ago", nowMs);
        Mono<Traffic> traffic = urls.isEmpty() ? Mono.just(new Traffic()) : traffic(window, urlFilters(urls), bound(urls));
        return traffic.map(t -> {
            double good = 0, counted = 0, all = 0, rtSum = 0, rtWeight = 0;
            TreeMap<Long, double[]> daily = new TreeMap<>();
            for (Map.Entry<Long, double[]> e : t.byStatus.entrySet()) {
                double[] c = e.getValue();
                good += c[0] + c[1];
                counted += c[0] + c[1] + c[3];
                all += c[0] + c[1] + c[2] + c[3];
                double[] day = daily.computeIfAbsent(Math.floorDiv(e.getKey(), 86_400L) * 86_400L, d -> new double[2]);
                day[0] += c[0] + c[1];
                day[1] += c[0] + c[1] + c[3];
            }
            for (double[] rt : t.responseTime.values()) {
                rtSum += rt[0];
                rtWeight += rt[1];
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("nodeId", node.id());
            out.put("path", node.path());
            out.put("days", days);
            out.put("availability", counted > 0 ? good / counted : null);
            out.put("responseTimeMs", rtWeight > 0 ? rtSum / rtWeight : null);
            out.put("qps", all / (days * 86_400.0));
            Map<String, Double> perDay = new LinkedHashMap<>();
            daily.forEach((day, v) -> {
                if (v[1] > 0) {
                    perDay.put(Long.toString(day), v[0] / v[1]);
                }
            });
            out.put("dailyAvailability", perDay);
            return out;
        });
    }

    /**
     * A node's availability over one window as a single figure, for deploy-service's gate: the share of
     * its bound URLs' counted requests (2xx + 3xx of all but 4xx) that succeeded; {@code null} when no
     * counted request came in the window (no data is never a pass).
     */
    record WindowAvailability(String path, long startMs, long endMs, Double availability, long requests) {
    }

    Mono<WindowAvailability> availability(String path, List<PlatformClient.BoundUrl> urls, Window window) {
        if (urls.isEmpty()) {
            return Mono.just(new WindowAvailability(path, window.startMs(), window.endMs(), null, 0));
        }
        // a decision (the gate) is taken on the newest points
        return traffic(window, urlFilters(urls), bound(urls), false).map(t -> {
            double good = 0;
            double counted = 0;
            for (double[] c : t.byStatus.values()) {
                good += c[0] + c[1];
                counted += c[0] + c[1] + c[3];
            }
            return new WindowAvailability(path, window.startMs(), window.endMs(), counted > 0 ? good / counted : null, Math.round(counted));
        });
    }

    // ------------------------------------------------------------------ computing

    private Mono<Traffic> traffic(Window window, List<Map<String, Object>> scope, Set<String> keep) {
        return traffic(window, scope, keep, true);
    }

    /**
     * Requests by status, response time and bytes per bucket; {@code keep} limits to bound (domain, path) pairs;
     * {@code share}: false reads OpenTSDB's newest points, never a recent identical query's answer.
     */
    private Mono<Traffic> traffic(Window window, List<Map<String, Object>> scope, Set<String> keep, boolean share) {
        List<Map<String, Object>> requestFilters = new ArrayList<>(scope);
        requestFilters.add(filter("wildcard", "path", "*", true));
        requestFilters.add(filter("wildcard", "status", "*", true));
        List<Map<String, Object>> pathFilters = new ArrayList<>(scope);
        pathFilters.add(filter("wildcard", "path", "*", true));
        List<Map<String, Object>> subs = List.of(
                sub("sum", "url.requests", window.interval() + "-sum", requestFilters),
                sub("avg", "url.responsetime", window.interval() + "-avg", pathFilters),
                sub("sum", "url.bytes", window.interval() + "-sum", pathFilters));
        return queries.series(window.startMs(), window.endMs(), subs, share).map(series -> {
            Traffic t = new Traffic();
            Map<String, TreeMap<Long, Double>> requestsByUrl = new HashMap<>();
            for (Map<String, Object> s : series) {
                Map<String, Object> tags = tags(s);
                String url = tags.get("domain") + "" + tags.get("path");
                if (keep != null && !keep.contains(url)) {
                    continue;
                }
                TreeMap<Long, Double> points = points(s);
                switch (String.valueOf(s.get("metric"))) {
                    case "url.requests" -> {
                        int index = switch (String.valueOf(tags.get("status"))) {
                            case "2xx" -> 0;
                            case "3xx" -> 1;
                            case "4xx" -> 2;
                            case "5xx" -> 3;
                            default -> -1;
                        };
                        if (index < 0) {
                            continue;
                        }
                        points.forEach((ts, v) -> t.byStatus.computeIfAbsent(ts, x -> new double[4])[index] += v);
                        TreeMap<Long, Double> perUrl = requestsByUrl.computeIfAbsent(url, x -> new TreeMap<>());
                        points.forEach((ts, v) -> perUrl.merge(ts, v, Double::sum));
                    }
                    case "url.bytes" -> points.forEach((ts, v) -> t.bytes.merge(ts, v, Double::sum));
                    default -> {
                    }
                }
            }
            for (Map<String, Object> s : series) {
                if (!"url.responsetime".equals(s.get("metric"))) {
                    continue;
                }
                Map<String, Object> tags = tags(s);
                String url = tags.get("domain") + "" + tags.get("path");
                TreeMap<Long, Double> requests = requestsByUrl.getOrDefault(url, new TreeMap<>());
                points(s).forEach((ts, rt) -> {
                    Double n = requests.get(ts);
                    if (n != null && n > 0) {
                        double[] acc = t.responseTime.computeIfAbsent(ts, x -> new double[2]);
                        acc[0] += rt * n;
                        acc[1] += n;
                    }
                });
            }
            return t;
        });
    }

    /** availability = (2xx + 3xx) / (all − 4xx), a gap where no request but 4xx came; qps; request-weighted response time. */
    private static Map<String, Object> figures(Traffic t, Window window) {
        TreeMap<Long, Double> availability = new TreeMap<>();
        TreeMap<Long, Double> qps = new TreeMap<>();
        t.byStatus.forEach((ts, c) -> {
            double counted = c[0] + c[1] + c[3];
            if (counted > 0) {
                availability.put(ts, (c[0] + c[1]) / counted);
            }
            qps.put(ts, (c[0] + c[1] + c[2] + c[3]) / window.seconds());
        });
        TreeMap<Long, Double> responseTime = new TreeMap<>();
        t.responseTime.forEach((ts, acc) -> responseTime.put(ts, acc[0] / acc[1]));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("availability", new Series(availability).dps());
        out.put("responseTimeMs", new Series(responseTime).dps());
        out.put("qps", new Series(qps).dps());
        return out;
    }

    private Mono<Map<String, TreeMap<Long, Double>>> perHost(String metric, Window window, Set<String> only) {
        Map<String, Object> sub = sub("avg", metric, window.interval() + "-avg", List.of(filter("wildcard", "host", "*", true)));
        return queries.series(window.startMs(), window.endMs(), List.of(sub)).map(series -> {
            Map<String, TreeMap<Long, Double>> byHost = new HashMap<>();
            for (Map<String, Object> s : series) {
                String host = String.valueOf(tags(s).get("host"));
                if (only == null || only.contains(host)) {
                    byHost.put(host, points(s));
                }
            }
            return byHost;
        });
    }

    private static Series meanAcross(java.util.Collection<TreeMap<Long, Double>> series) {
        TreeMap<Long, double[]> acc = new TreeMap<>();
        for (TreeMap<Long, Double> s : series) {
            s.forEach((ts, v) -> {
                double[] a = acc.computeIfAbsent(ts, x -> new double[2]);
                a[0] += v;
                a[1]++;
            });
        }
        TreeMap<Long, Double> out = new TreeMap<>();
        acc.forEach((ts, a) -> out.put(ts, a[0] / a[1]));
        return new Series(out);
    }

    private static Map<String, Double> windowMeans(Map<String, TreeMap<Long, Double>> byHost) {
        Map<String, Double> out = new HashMap<>();
        byHost.forEach((host, points) -> points.values().stream().mapToDouble(Double::doubleValue).average()
                .ifPresent(mean -> out.put(host, mean)));
        return out;
    }

    private static Double meanOf(List<String> hosts, Map<String, Double> means) {
        var values = hosts.stream().map(means::get).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).average();
        return values.isPresent() ? values.getAsDouble() : null;
    }

    private static TreeMap<Long, Double> divide(TreeMap<Long, Double> values, double by) {
        TreeMap<Long, Double> out = new TreeMap<>();
        values.forEach((ts, v) -> out.put(ts, v / by));
        return out;
    }

    private static List<Map<String, Object>> urlFilters(List<PlatformClient.BoundUrl> urls) {
        String domains = urls.stream().map(PlatformClient.BoundUrl::domain).distinct().sorted().collect(Collectors.joining("|"));
        return List.of(filter("literal_or", "domain", domains, true));
    }

    private static Set<String> bound(List<PlatformClient.BoundUrl> urls) {
        return urls.stream().map(u -> u.domain() + u.path()).collect(Collectors.toSet());
    }

    private static Map<String, Object> sub(String aggregator, String metric, String downsample, List<Map<String, Object>> filters) {
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("aggregator", aggregator);
        sub.put("metric", metric);
        sub.put("downsample", downsample);
        sub.put("filters", filters);
        return sub;
    }

    private static Map<String, Object> filter(String type, String tagk, String value, boolean groupBy) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("type", type);
        filter.put("tagk", tagk);
        filter.put("filter", value);
        filter.put("groupBy", groupBy);
        return filter;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tags(Map<String, Object> series) {
        return series.get("tags") instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
    }

    private static TreeMap<Long, Double> points(Map<String, Object> series) {
        TreeMap<Long, Double> out = new TreeMap<>();
        if (series.get("dps") instanceof Map<?, ?> dps) {
            dps.forEach((t, v) -> {
                if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    out.put(Long.parseLong(t.toString()), n.doubleValue());
                }
            });
        }
        return out;
    }
}
