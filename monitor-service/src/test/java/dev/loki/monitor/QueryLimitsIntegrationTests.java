package dev.loki.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.monitor.tsdb.OpenTsdb;
import dev.loki.testsupport.TestInfrastructure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import reactor.core.publisher.Mono;

/** Issue 11, items 13 and 14: a query's cost is bounded before anything is fetched, and its cache has a quota. */
class QueryLimitsIntegrationTests extends MonitorTestBase {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> SERIES = new ParameterizedTypeReference<>() {
    };

    @Test
    void item14_theSharedBlockCacheStaysWithinItsQuotaOfBlocksAndBytes() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> points = new ArrayList<>();
        for (long t = now - 6 * 3600; t <= now; t += 60) {
            points.add(point("test." + RUN + ".quota.cpu", t, t % 97, Map.of("host", "q1")));
        }
        put(admin, points).expectStatus().isOk();
        // an absolute start: "6h-ago" would move between the direct query and the service's, and the first bucket with it
        String query = "/api/query?start=" + (now - 6 * 3600) + "&m=avg:5m-avg:test." + RUN + ".quota.cpu{host=*}";
        List<Map<String, Object>> expected = direct.get().uri(at(opentsdb, query)).exchange().expectStatus().isOk()
                .expectBody(SERIES).returnResult().getResponseBody();

        // 6 h of 5-minute averages are 36 blocks of 10 minutes (~130 bytes each), ~35 of them final: more than either quota allows
        for (String[] quota : List.of(new String[] {"--loki.monitor.block-cache-max-blocks=5", "--loki.monitor.block-cache-max-bytes=256MB"},
                new String[] {"--loki.monitor.block-cache-max-blocks=100000", "--loki.monitor.block-cache-max-bytes=3KB"})) {
            String prefix = TestInfrastructure.newKeyPrefix("quota");
            try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(MonitorServiceApplication.class)
                    .run(replicaArguments(quota[0], quota[1], "--loki.redis.key-prefix=" + prefix, "--loki.monitor.answer-ttl=0s"))) {
                String base = "http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port");
                WebTestClient service = client(base);
                for (int round = 0; round < 2; round++) {
                    assertThat(service.get().uri(at(base, "/api/monitor" + query.substring(4)))
                            .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                            .expectBody(SERIES).returnResult().getResponseBody()).as(String.join(" ", quota)).isEqualTo(expected);
                }
                Map<String, Long> sizes = blockSizes(prefix);
                assertThat(sizes).as("blocks cached under " + String.join(" ", quota)).isNotEmpty();
                if (quota[0].endsWith("=5")) {
                    assertThat(sizes).hasSizeLessThanOrEqualTo(5);
                } else {
                    assertThat(sizes.values().stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(3072);
                    assertThat(sizes.size()).as("the byte quota, not the count, limited it").isLessThan(35);
                }
                String total = redis().opsForValue().get(prefix + "monitor:blkbytes").block(Duration.ofSeconds(5));
                assertThat(Long.parseLong(total)).as("the running total matches what is stored")
                        .isEqualTo(sizes.values().stream().mapToLong(Long::longValue).sum());
            }
        }
    }

    @Test
    void item13_oneCallersReadsAreCappedAndSlowQueriesNeverOpenTheAlertingBreaker() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> points = new ArrayList<>();
        for (int host = 0; host < 20; host++) {
            for (long t = now - 3600; t <= now; t += 60) {
                points.add(point("test." + RUN + ".wide.cpu", t, t % 7 + host, Map.of("host", "w" + host)));
            }
        }
        put(admin, points).expectStatus().isOk();
        try (TogglingProxy proxy = new TogglingProxy(opentsdb);
             ConfigurableApplicationContext replica = new SpringApplicationBuilder(MonitorServiceApplication.class)
                     .run(replicaArguments("--loki.monitor.opentsdb-uri=" + proxy.url(), "--loki.monitor.answer-ttl=0s",
                             "--loki.monitor.query-timeout=1s", "--loki.monitor.max-concurrent-queries-per-caller=2",
                             "--loki.monitor.max-answer-size=8KB"))) {
            String base = "http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port");
            WebTestClient service = client(base);
            proxy.delay(Duration.ofSeconds(3));
            // six reads at once from one caller: two are admitted (and time out on the slow OpenTSDB), four refused at once
            List<Integer> statuses = reactor.core.publisher.Flux.range(0, 6)
                    .flatMap(i -> Mono.fromCallable(() -> service.get()
                            .uri("/api/monitor/query?start=" + (2 + i) + "h-ago&m=avg:1m-avg:test." + RUN + ".slow.cpu")
                            .header("Authorization", "Bearer " + admin).exchange().returnResult(String.class).getStatus().value())
                            .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 6)
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(4);
            assertThat(statuses).filteredOn(s -> s == 503).hasSize(2);
            service.get().uri("/api/monitor/query?start=1h-ago&m=avg:1m-avg:test." + RUN + ".slow.cpu")
                    .header("Authorization", "Bearer " + admin).exchange();

            // more slow queries until the queries' breaker opens
            OpenTsdb tsdb = replica.getBean(OpenTsdb.class);
            for (int i = 0; i < 10 && tsdb.state() != CircuitBreaker.State.OPEN; i++) {
                service.get().uri("/api/monitor/query?start=" + (10 + i) + "h-ago&m=avg:1m-avg:test." + RUN + ".slow.cpu")
                        .header("Authorization", "Bearer " + admin).exchange().expectStatus().isEqualTo(503);
            }
            assertThat(tsdb.state()).isEqualTo(CircuitBreaker.State.OPEN);
            proxy.delay(Duration.ZERO);
            // OpenTSDB answers again: users wait for their breaker, alert rule evaluation does not
            service.get().uri("/api/monitor/query?start=1h-ago&m=avg:1m-avg:test." + RUN + ".slow.cpu")
                    .header("Authorization", "Bearer " + admin).exchange().expectStatus().isEqualTo(503);
            Map<String, Object> body = Map.of("start", "1h-ago", "queries", List.of(Map.of("aggregator", "avg", "metric", "test." + RUN + ".wide.cpu",
                    "downsample", "1m-avg", "tags", Map.of("host", "w1"))));
            assertThat(tsdb.query(body).contextWrite(OpenTsdb::alerting).block(Duration.ofSeconds(10))).isNotNull();
            assertThat(tsdb.alertingState()).isEqualTo(CircuitBreaker.State.CLOSED);

            // an answer larger than max-answer-size is not read to its end: 400 naming the way out, not a 503
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> service.get()
                    .uri(at(base, "/api/monitor/query?start=1h-ago&m=avg:1m-avg:test." + RUN + ".wide.cpu{host=w1}"))
                    .header("Authorization", "Bearer " + admin).exchange().returnResult(String.class).getStatus().value() == 200);
            service.get().uri(at(base, "/api/monitor/query?start=1h-ago&m=avg:1m-avg:test." + RUN + ".wide.cpu{host=*}"))
                    .header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/answer-too-large");
        }
    }

    private ReactiveStringRedisTemplate redis() {
        return new ReactiveStringRedisTemplate(redisFactory);
    }

    /** The cached blocks under a key prefix and their value sizes. */
    private Map<String, Long> blockSizes(String prefix) {
        ReactiveStringRedisTemplate redis = redis();
        return redis.scan(ScanOptions.scanOptions().match(prefix + "monitor:blk:*").count(1000).build())
                .flatMap(key -> redis.opsForValue().get(key).map(value -> Map.entry(key, (long) value.length())))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block(Duration.ofSeconds(10));
    }

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
        // what the UI asks for still answers: a month of 1-minute averages, literal and wildcard tags (a metric of this
        // test's own: a shared one may hold other tests' conflicting points)
        long now = System.currentTimeMillis() / 1000;
        put(admin, List.of(point("test." + RUN + ".month.cpu", now - 600, 1, Map.of("host", "m1")),
                point("test." + RUN + ".month.cpu", now - 60, 2, Map.of("host", "m2")))).expectStatus().isOk();
        http.get().uri("/api/monitor/query?start=30d-ago&m={m}", "avg:1m-avg:test." + RUN + ".month.cpu{host=*}").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk();
    }
}
