package dev.loki.monitor.query;

import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.monitor.tsdb.OpenTsdb;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenTSDB's read API through Loki, for any authenticated caller: {@code /api/monitor/query} (GET with
 * OpenTSDB's URL parameters, POST with its JSON body) answers OpenTSDB's own response shape;
 * {@code X-Loki-Stale: true} marks an answer served from the cache while OpenTSDB is down;
 * {@code Cache-Control: no-cache} asks for OpenTSDB's newest data instead of a shared answer.
 */
@RestController
class QueryController {

    private static final java.util.Set<String> SUGGEST_TYPES = java.util.Set.of("metrics", "tagk", "tagv");

    private final QueryService queries;
    private final OpenTsdb tsdb;
    private final JsonMapper json = JsonMapper.builder().build();

    QueryController(QueryService queries, OpenTsdb tsdb) {
        this.queries = queries;
        this.tsdb = tsdb;
    }

    @GetMapping("/api/monitor/query")
    Mono<ResponseEntity<byte[]>> get(@RequestParam MultiValueMap<String, String> params,
                                                        @RequestHeader(value = "Cache-Control", required = false) String cacheControl) {
        return Mono.fromCallable(() -> QueryParser.fromParams(params, System.currentTimeMillis()))
                .flatMap(q -> queries.query(q, !noCache(cacheControl))).map(this::answer);
    }

    @PostMapping("/api/monitor/query")
    Mono<ResponseEntity<byte[]>> post(@RequestBody Map<String, Object> body,
                                                         @RequestHeader(value = "Cache-Control", required = false) String cacheControl) {
        return Mono.fromCallable(() -> QueryParser.fromBody(body, System.currentTimeMillis()))
                .flatMap(q -> queries.query(q, !noCache(cacheControl))).map(this::answer);
    }

    /** {@code Cache-Control: no-cache}: do not take a shared answer (cached final blocks are still used). */
    private static boolean noCache(String cacheControl) {
        return cacheControl != null && cacheControl.toLowerCase(java.util.Locale.ROOT).contains("no-cache");
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

    private ResponseEntity<byte[]> answer(QueryService.Result result) {
        var response = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (result.stale()) {
            response.header("X-Loki-Stale", "true").header("Warning", "110 - \"OpenTSDB unavailable; cached data only\"");
        }
        return response.body(result.json(json));
    }
}
