package dev.loki.monitor;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Issue 11, item 13: a query's cost is bounded before anything is fetched from OpenTSDB. */
class QueryLimitsIntegrationTests extends MonitorTestBase {

    @Test
    void item13_tinyDownsampleIntervalsAndRegexpFiltersAreRefusedUpFront() {
        // the raw-range limit could be bypassed with 1ms-avg: 2 days of 1 ms buckets
        http.get().uri("/api/monitor/query?start=2d-ago&m=avg:1ms-avg:host.cpu.usage").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("downsample");
        http.post().uri("/api/monitor/query").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("start", "30d-ago", "queries", List.of(Map.of("aggregator", "avg", "metric", "host.cpu.usage",
                        "downsample", "10s-avg")))).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("downsample");
        http.get().uri("/api/monitor/query?start=1h-ago&m={m}", "avg:host.cpu.usage{host=regexp(.*)}").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("m");
        http.post().uri("/api/monitor/query").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("start", "1h-ago", "queries", List.of(Map.of("aggregator", "avg", "metric", "host.cpu.usage",
                        "filters", List.of(Map.of("type", "regexp", "tagk", "host", "filter", ".*", "groupBy", true)))))).exchange()
                .expectStatus().isBadRequest();
        // what the UI asks for still answers: a month of 1-minute averages, literal and wildcard tags
        http.get().uri("/api/monitor/query?start=30d-ago&m={m}", "avg:1m-avg:host.cpu.usage{host=*}").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk();
    }
}
