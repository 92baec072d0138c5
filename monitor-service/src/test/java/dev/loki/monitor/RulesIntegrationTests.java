package dev.loki.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import dev.loki.events.AlertFired;
import dev.loki.events.AlertResolved;
import dev.loki.events.EventType;
import dev.loki.events.LokiEvent;
import dev.loki.testsupport.EventRecorder;

/** Alert rules with two monitor-service replicas evaluating every second: one event per crossing, not per evaluation. */
class RulesIntegrationTests extends MonitorTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Test
    void aRuleFiresOnceWhenAHostBelowItsNodeCrossesAndResolvesOnceWhenItFallsBack() throws Exception {
        String root = "/a" + RUN;
        node("/", "a" + RUN);
        long svc = node(root, "svc");
        String busy = RUN + "-busy1";
        http.post().uri(asset.baseUrl() + "/api/asset/servers").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostname", busy, "sn", "SN-" + busy, "status", "online"))
                .exchange().expectStatus().isCreated();
        http.post().uri(ptree.baseUrl() + "/api/ptree/nodes/" + svc + "/servers").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostnames", List.of(busy))).exchange().expectStatus().isCreated();

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(MonitorServiceApplication.class).run(replicaArguments())) {
            EventRecorder recorder = EventRecorder.listen(redis(), EventType.ALERT_FIRED, EventType.ALERT_RESOLVED);
            Map<String, Object> rule = http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "cpu busy", "nodePath", root, "metric", "host.cpu.usage", "comparator", ">",
                            "threshold", 80, "forSeconds", 60, "severity", "critical"))
                    .exchange().expectStatus().isCreated().expectHeader().valueMatches("Location", "/api/monitor/rules/\\d+")
                    .expectBody(JSON).returnResult().getResponseBody();

            long now = System.currentTimeMillis() / 1000;
            List<Map<String, Object>> busyPoints = new ArrayList<>();
            for (long t = now - 90; t <= now; t += 10) {
                busyPoints.add(point("host.cpu.usage", t, 95, Map.of("host", busy, "idc", "bj")));
            }
            put(admin, busyPoints).expectStatus().isOk();
            List<LokiEvent> fired = recorder.await(1, Duration.ofSeconds(20));
            Thread.sleep(4_000); // several more evaluations on both replicas
            assertThat(recorder.events()).hasSize(1);
            AlertFired alert = (AlertFired) fired.get(0);
            assertThat(alert.ruleId()).isEqualTo(((Number) rule.get("id")).longValue());
            assertThat(alert.series()).containsEntry("host", busy);
            assertThat(alert.value()).isEqualTo(95.0);
            assertThat(alert.nodePath()).isEqualTo(root);

            Thread.sleep(1_100);
            put(admin, List.of(point("host.cpu.usage", System.currentTimeMillis() / 1000, 30, Map.of("host", busy, "idc", "bj"))))
                    .expectStatus().isOk();
            List<LokiEvent> all = recorder.await(2, Duration.ofSeconds(20));
            Thread.sleep(4_000);
            assertThat(recorder.events()).hasSize(2);
            assertThat(all.get(1)).isInstanceOf(AlertResolved.class);
            assertThat(((AlertResolved) all.get(1)).fingerprint()).isEqualTo(alert.fingerprint());
            recorder.close();

            // the same two, in order, on the stream alarm-service reads (issue 13, item 1): appended before the state was saved
            var stream = new org.springframework.data.redis.core.ReactiveStringRedisTemplate(redisFactory).opsForStream()
                    .range(redisPrefix + dev.loki.events.Streams.MONITOR_ALERTS, org.springframework.data.domain.Range.unbounded())
                    .map(entry -> String.valueOf(entry.getValue().get("event")))
                    .filter(json -> json.contains("\"fingerprint\":\"" + alert.fingerprint() + "\""))
                    .collectList().block(Duration.ofSeconds(5));
            assertThat(stream).hasSize(2);
            assertThat(stream.get(0)).contains("\"id\":\"" + alert.id() + "\"", "\"type\":\"alert-fired\"");
            assertThat(stream.get(1)).contains("\"id\":\"" + all.get(1).id() + "\"", "\"type\":\"alert-resolved\"");
        }
    }

    @Test
    void aHostThatStopsReportingRaisesANoDataAlertUntilItReportsAgain() throws Exception {
        String root = "/nd" + RUN;
        long node = node("/", "nd" + RUN);
        String quiet = RUN + "-quiet1";
        String talking = RUN + "-talking1";
        for (String host : List.of(quiet, talking)) {
            http.post().uri(asset.baseUrl() + "/api/asset/servers").header("Authorization", "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostname", host, "sn", "SN-" + host, "status", "online"))
                    .exchange().expectStatus().isCreated();
        }
        http.post().uri(ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostnames", List.of(quiet, talking))).exchange().expectStatus().isCreated();
        long now = System.currentTimeMillis() / 1000;
        // the quiet host last reported 5 minutes ago, the talking one just now
        put(admin, List.of(point("host.mem.usage", now - 300, 40, Map.of("host", quiet)), point("host.mem.usage", now, 40, Map.of("host", talking))))
                .expectStatus().isOk();
        EventRecorder recorder = EventRecorder.listen(redis(), EventType.ALERT_FIRED, EventType.ALERT_RESOLVED);
        Map<String, Object> rule = http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "mem silent", "nodePath", root, "metric", "host.mem.usage", "comparator", ">", "threshold", 1000,
                        "forSeconds", 0, "severity", "warning", "noDataSeconds", 120))
                .exchange().expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        assertThat(rule).containsEntry("noDataSeconds", 120);

        AlertFired silent = (AlertFired) recorder.await(1, Duration.ofSeconds(20)).get(0);
        assertThat(silent.series()).isEqualTo(Map.of("host", quiet));
        assertThat(silent.comparator()).isEqualTo("no-data");
        assertThat(silent.threshold()).isEqualTo(120.0);
        assertThat(silent.value()).isGreaterThanOrEqualTo(300.0);
        assertThat(silent.fingerprint()).isEqualTo(rule.get("id") + ":no-data:host=" + quiet);

        put(admin, List.of(point("host.mem.usage", System.currentTimeMillis() / 1000, 41, Map.of("host", quiet)))).expectStatus().isOk();
        List<LokiEvent> events = recorder.await(2, Duration.ofSeconds(20));
        assertThat(events.get(1)).isInstanceOfSatisfying(AlertResolved.class, r -> {
            assertThat(r.fingerprint()).isEqualTo(silent.fingerprint());
            assertThat(r.value()).isEqualTo(41.0);
        });
        assertThat(recorder.events()).as("the talking host never went silent").hasSize(2);
        recorder.close();

        Map<String, Object> bad = Map.of("name", "x", "nodePath", root, "metric", "app.requests", "comparator", ">", "threshold", 1,
                "forSeconds", 0, "noDataSeconds", 60);
        http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(bad).exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("noDataSeconds");
        http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "x", "nodePath", root, "metric", "host.mem.usage", "comparator", ">", "threshold", 1,
                        "forSeconds", 0, "noDataSeconds", 5))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("noDataSeconds");
    }

    @Test
    void rulesNeedMonitorManageOnTheirNodeAndValidInput() {
        authApi.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "ruler", "password", "ruler-pass-12")).exchange().expectStatus().isCreated();
        String ruler = login("ruler", "ruler-pass-12");
        Map<String, Object> body = Map.of("name", "x", "nodePath", "/", "metric", "host.cpu.usage", "comparator", ">",
                "threshold", 1, "forSeconds", 0);
        http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + ruler).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "x", "nodePath", "/", "metric", "host.cpu.usage", "comparator", "~", "threshold", 1,
                        "forSeconds", 0))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("comparator");
        http.get().uri("/api/monitor/rules?nodePath=/").header("Authorization", "Bearer " + ruler).exchange().expectStatus().isOk();
        http.get().uri("/api/monitor/rules/999999").header("Authorization", "Bearer " + ruler).exchange().expectStatus().isNotFound();
    }

    @Test
    void item5_rulesFollowTheirNodesRenameAndGoWithItsDeletion() {
        node("/", RUN + "-r5");
        long svc = node("/" + RUN + "-r5", "svc");
        long rule = ((Number) http.post().uri("/api/monitor/rules").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "cpu", "nodePath", "/" + RUN + "-r5/svc",
                        "metric", "host.cpu.usage", "comparator", ">", "threshold", 90, "forSeconds", 0))
                .exchange().expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody().get("id")).longValue();

        http.patch().uri(ptree.baseUrl() + "/api/ptree/nodes/" + svc).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "api")).exchange().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> http.get().uri("/api/monitor/rules/" + rule)
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.nodePath").isEqualTo("/" + RUN + "-r5/api"));

        http.delete().uri(ptree.baseUrl() + "/api/ptree/nodes/" + svc).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> http.get().uri("/api/monitor/rules/" + rule)
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound());
        // a node re-created at the path starts with no rules
        node("/" + RUN + "-r5", "api");
        http.get().uri("/api/monitor/rules?nodePath=/" + RUN + "-r5/api").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items[?(@.id == " + rule + ")]").doesNotExist();
    }

    private org.springframework.data.redis.connection.ReactiveRedisConnectionFactory redis() {
        return redisFactory;
    }

    private long node(String parentPath, String name) {
        Map<String, Object> node = http.post().uri(ptree.baseUrl() + "/api/ptree/nodes").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("parentPath", parentPath, "name", name)).exchange()
                .expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        return ((Number) node.get("id")).longValue();
    }
}
