package dev.loki.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Issue 11, the fault suite for OpenTSDB: a replica reaches it through a proxy the test switches off
 * and on, while the shared OpenTSDB keeps serving everyone else.
 */
class MonitorOpenTsdbFaultIntegrationTests extends MonitorTestBase {

    @Test
    void withOpenTsdbGoneAnswersComeFastFromTheCacheOrAs503AndRecover() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> points = new ArrayList<>();
        for (long t = now - 3 * 3600; t <= now; t += 60) {
            points.add(point("test." + RUN + ".down.cpu", t, 50, Map.of("host", "d1")));
        }
        put(admin, points).expectStatus().isOk();
        try (TogglingProxy proxy = new TogglingProxy(opentsdb);
             ConfigurableApplicationContext other = new SpringApplicationBuilder(MonitorServiceApplication.class)
                     .run(replicaArguments("--loki.monitor.opentsdb-uri=" + proxy.url(), "--loki.monitor.answer-ttl=0s"))) {
            WebTestClient service = client("http://127.0.0.1:" + other.getEnvironment().getProperty("local.server.port"));
            String cached = "/api/monitor/query?start=3h-ago&m=avg:5m-avg:test." + RUN + ".down.cpu";
            service.get().uri(cached).header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist("X-Loki-Stale");

            proxy.down();
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                service.get().uri(cached).header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                        .expectHeader().valueEquals("X-Loki-Stale", "true").expectBody().jsonPath("$[0].dps").exists();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a stale answer while OpenTSDB is down")
                        .isLessThan(Duration.ofSeconds(2));
                started = System.nanoTime();
                service.get().uri("/api/monitor/query?start=1h-ago&m=avg:test." + RUN + ".down.cpu").header("Authorization", "Bearer " + admin)
                        .exchange().expectStatus().isEqualTo(503).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a 503 while OpenTSDB is down")
                        .isLessThan(Duration.ofSeconds(2));
            }

            proxy.up();
            long deadline = System.currentTimeMillis() + 30_000;
            int status = 0;
            while (status != 200 && System.currentTimeMillis() < deadline) {
                status = service.get().uri("/api/monitor/query?start=1h-ago&m=avg:test." + RUN + ".down.cpu").header("Authorization", "Bearer " + admin)
                        .exchange().returnResult(String.class).getStatus().value();
                Thread.sleep(status == 200 ? 0 : 500);
            }
            assertThat(status).as("fresh answers once OpenTSDB is back, without a restart").isEqualTo(200);
        }
    }
}
