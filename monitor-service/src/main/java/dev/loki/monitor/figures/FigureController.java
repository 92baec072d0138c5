package dev.loki.monitor.figures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.InternalApi;
import dev.loki.events.NodePath;
import dev.loki.support.Caller;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The dashboard figures (docs/metrics.md explains each), for any authenticated caller. */
@RestController
class FigureController {

    private static final Pattern DOMAIN = Pattern.compile("^[A-Za-z0-9._-]{1,200}$");

    private final Figures figures;
    private final PlatformClient platform;

    FigureController(Figures figures, PlatformClient platform) {
        this.figures = figures;
        this.platform = platform;
    }

    @GetMapping("/api/monitor/dashboard/cpu")
    Mono<Map<String, Object>> cpu(@RequestParam(required = false) String start, @RequestParam(required = false) String end,
                                  @RequestParam(required = false) String downsample) {
        Window window = Window.of(start, end, downsample, "24h-ago", System.currentTimeMillis());
        return Caller.bearer().flatMap(platform::poolHosts).flatMap(pool -> figures.cpu(window, pool));
    }

    @GetMapping("/api/monitor/dashboard/resources")
    Mono<List<Map<String, Object>>> resources(@RequestParam(required = false) String start, @RequestParam(required = false) String end) {
        Window window = Window.of(start, end, null, "1h-ago", System.currentTimeMillis());
        return Caller.bearer().flatMap(bearer -> platform.productLines(bearer)
                .flatMapMany(Flux::fromIterable)
                .concatMap(line -> platform.hostnames(line.id(), bearer).map(hosts -> Map.entry(line, hosts)))
                .collect(LinkedHashMap<PlatformClient.TreeNode, List<String>>::new, (m, e) -> m.put(e.getKey(), e.getValue()))
                .zipWith(platform.poolHosts(bearer))
                .flatMap(t -> figures.resources(window, t.getT1(), t.getT2())));
    }

    @GetMapping("/api/monitor/domains")
    Mono<List<Map<String, Object>>> domains(@RequestParam(required = false) String start, @RequestParam(required = false) String end) {
        return figures.domains(Window.of(start, end, "1h", "24h-ago", System.currentTimeMillis()));
    }

    @GetMapping("/api/monitor/domains/{domain}")
    Mono<Map<String, Object>> domain(@PathVariable String domain, @RequestParam(required = false) String start,
                                     @RequestParam(required = false) String end, @RequestParam(required = false) String downsample) {
        if (!DOMAIN.matcher(domain).matches()) {
            throw Problems.invalid("domain", "a host name like shop.example.com");
        }
        return figures.domain(domain, Window.of(start, end, downsample, "24h-ago", System.currentTimeMillis()));
    }

    @GetMapping("/api/monitor/nodes/{id}/availability")
    Mono<Map<String, Object>> availability(@PathVariable long id, @RequestParam(required = false) String start,
                                           @RequestParam(required = false) String end, @RequestParam(required = false) String downsample) {
        Window window = Window.of(start, end, downsample, "24h-ago", System.currentTimeMillis());
        return Caller.bearer().flatMap(bearer -> platform.node(id, bearer)
                .zipWith(platform.urls(id, bearer))
                .flatMap(t -> figures.node(t.getT1(), t.getT2(), window)));
    }

    /**
     * Internal, for deploy-service's availability gate (background work without a caller): the node at
     * {@code path}'s availability over [{@code start}, {@code end}] (epoch ms; from the start of the minute
     * {@code start} is in), one figure.
     */
    @GetMapping(InternalApi.NODE_AVAILABILITY)
    Mono<Figures.WindowAvailability> windowAvailability(@RequestParam String path, @RequestParam long start, @RequestParam long end) {
        if (!NodePath.isValid(path)) {
            throw Problems.invalid("path", NodePath.MESSAGE);
        }
        // whole minutes from the one the window starts in: OpenTSDB's 1-minute buckets are stamped with their
        // start, so a window starting mid-minute would otherwise leave out the minute it starts in
        if (end <= start) {
            throw Problems.invalid("end", "must be after start");
        }
        long from = Math.floorDiv(start, 60_000L) * 60_000L;
        Window window = Window.of(Long.toString(from), Long.toString(end), "1m", "1h-ago", System.currentTimeMillis());
        return platform.scope(path).flatMap(scope -> figures.availability(path, scope.urls().stream()
                .map(u -> new PlatformClient.BoundUrl(u.get("domain"), u.get("path"), scope.nodeId(), path)).toList(), window));
    }

    @GetMapping("/api/monitor/nodes/{id}/summary")
    Mono<Map<String, Object>> summary(@PathVariable long id, @RequestParam(defaultValue = "7") int days) {
        if (days < 1 || days > 90) {
            throw Problems.invalid("days", "between 1 and 90");
        }
        return Caller.bearer().flatMap(bearer -> platform.node(id, bearer)
                .zipWith(platform.urls(id, bearer))
                .flatMap(t -> figures.summary(t.getT1(), t.getT2(), days, System.currentTimeMillis())));
    }
}
