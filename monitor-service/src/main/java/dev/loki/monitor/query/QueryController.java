package dev.loki.monitor.query;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.monitor.tsdb.OpenTsdb;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * OpenTSDB's read API through Loki, for any authenticated caller: {@code /api/monitor/query} (GET with
 * OpenTSDB's URL parameters, POST with its JSON body) answers OpenTSDB's own response shape;
 * {@code X-Loki-Stale: true} marks an answer served from the cache while OpenTSDB is down.
 */
@RestController
class QueryController {

    private static final java.util.Set<String> SUGGEST_TYPES = java.util.Set.of("metrics", "tagk", "tagv");

    private final QueryService queries;
    private final OpenTsdb tsdb;

    QueryController(QueryService queries, OpenTsdb tsdb) {
        this.queries = queries;
        this.tsdb = tsdb;
    }

    @GetMapping("/api/monitor/query")
    Mono<ResponseEntity<List<Map<String, Object>>>> get(@RequestParam MultiValueMap<String, String> params) {
        return Mono.fromCallable(() -> QueryParser.fromParams(params, System.currentTimeMillis()))
                .flatMap(queries::query).map(QueryController::answer);
    }

    @PostMapping("/api/monitor/query")
    Mono<ResponseEntity<List<Map<String, Object>>>> post(@RequestBody Map<String, Object> body) {
        return Mono.fromCallable(() -> QueryParser.fromBody(body, System.currentTimeMillis()))
                .flatMap(queries::query).map(QueryController::answer);
    }

    @GetMapping("/api/monitor/suggest")
    Mono<List<String>> suggest(@RequestParam(defaultValue = "metrics") String type, @RequestParam(defaultValue = "") String q,
                               @RequestParam(defaultValue = "25") int max) {
        if (!SUGGEST_TYPES.contains(type)) {
            throw Problems.invalid("type", "one of metrics, tagk, tagv");
        }
        if (max < 1 || max > 1000) {
            throw Problems.invalid("max", "must be between 1 and 1000");
        }
        if (q.length() > 200) {
            throw Problems.invalid("q", "at most 200 characters");
        }
        return tsdb.suggest(type, q, max);
    }

    private static ResponseEntity<List<Map<String, Object>>> answer(QueryService.Result result) {
        var response = ResponseEntity.ok();
        if (result.stale()) {
            response.header("X-Loki-Stale", "true").header("Warning", "110 - \"OpenTSDB unavailable; cached data only\"");
        }
        return response.body(result.series());
    }
}
