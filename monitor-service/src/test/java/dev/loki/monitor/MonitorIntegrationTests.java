package dev.loki.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;


/** The OpenTSDB proxy: put and query in OpenTSDB's shapes, permissions, the block cache, OpenTSDB going away. */
class MonitorIntegrationTests extends MonitorTestBase {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> SERIES = new ParameterizedTypeReference<>() {
    };

    @Test
    void pointsPutThroughTheServiceComeBackInOpenTsdbsShape() {
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> points = List.of(
                point("test." + RUN + ".put.cpu", now - 120, 40, Map.of("host", "p1", "idc", "bj")),
                point("test." + RUN + ".put.cpu", now - 60, 60, Map.of("host", "p1", "idc", "bj")),
                point("test." + RUN + ".put.cpu", now - 60, 20, Map.of("host", "p2", "idc", "bj")));
        put(admin, points).expectStatus().isOk().expectBody().jsonPath("$.success").isEqualTo(3).jsonPath("$.failed").isEqualTo(0)
                .jsonPath("$.timeouts").isEqualTo(0);

        List<Map<String, Object>> answer = http.get().uri(at(port, "/api/monitor/query?start=10m-ago&m=avg:test." + RUN + ".put.cpu{host=*}"))
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody(SERIES).returnResult().getResponseBody();
        assertThat(answer).hasSize(2);
        Map<String, Object> p1 = answer.stream().filter(s -> ((Map<?, ?>) s.get("tags")).get("host").equals("p1")).findFirst().orElseThrow();
        assertThat(p1).containsKeys("metric", "tags", "aggregateTags", "dps");
        assertThat((Map<String, Object>) p1.get("dps")).hasSize(2).containsEntry(Long.toString(now - 120), 40);
        // the same answer as OpenTSDB's own
        assertThat(answer).isEqualTo(direct.get().uri(at(opentsdb, "/api/query?start=10m-ago&m=avg:test." + RUN + ".put.cpu{host=*}")).exchange()
                .expectStatus().isOk().expectBody(SERIES).returnResult().getResponseBody());

        http.post().uri("/api/monitor/query").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("start", "10m-ago", "queries", List.of(Map.of("aggregator", "sum", "metric", "test." + RUN + ".put.cpu"))))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$[0].dps.length()").isEqualTo(2);
        http.get().uri("/api/monitor/suggest?type=metrics&q=test." + RUN + ".put").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[0]").isEqualTo("test." + RUN + ".put.cpu");
        // issue 11, item 22 (seen again by the hostile walk): braces in q are text, not a URI template
        http.get().uri("/api/monitor/suggest?type=metrics&q={q}", "${jndi:ldap://x}").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void putNeedsAValidTokenWithMonitorManage() {
        List<Map<String, Object>> points = List.of(point("test." + RUN + ".auth.cpu", System.currentTimeMillis() / 1000, 1, Map.of("host", "a1")));
        http.post().uri("/api/monitor/put").contentType(MediaType.APPLICATION_JSON).bodyValue(points).exchange()
                .expectStatus().isUnauthorized().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        authApi.post().uri("/api/auth/users").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "viewer", "password", "viewer-pass-12")).exchange().expectStatus().isCreated();
        String viewer = login("viewer", "viewer-pass-12");
        String token = authApi.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + viewer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "collector")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        // what the gateway does with an API token: trade it for a JWT of the token's subject
        String jwt = authApi.post().uri(dev.loki.events.InternalApi.TOKEN_EXCHANGE).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
        put(jwt, points).expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        put(viewer, points).expectStatus().isForbidden();
        // reading needs no privilege (the metric is unknown to OpenTSDB: its 400, passed on)
        http.get().uri("/api/monitor/query?start=1h-ago&m=sum:test." + RUN + ".never.written").header("Authorization", "Bearer " + viewer).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("test." + RUN + ".never.written"));

        put(admin, List.of(Map.of("metric", "bad metric!", "timestamp", 1, "value", "x", "tags", Map.of()))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("[0].metric");
        http.get().uri("/api/monitor/query?start=yesterday&m=sum:x").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("start");
        http.get().uri("/api/monitor/query?start=30d-ago&m=sum:x").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("downsample");
        http.get().uri("/api/monitor/query?start=1h-ago&m=sum:x&delete=true").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void warmDashboardQueriesReadOnlyTheRecentPartAndEqualOpenTsdbsAnswer() {
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> points = new ArrayList<>();
        for (long t = now - 26 * 3600; t <= now; t += 60) {
            for (String host : List.of("c1", "c2")) {
                points.add(point("test." + RUN + ".cache.cpu", t, (t / 60) % 97 + (host.equals("c1") ? 0 : 3), Map.of("host", host, "idc", "sh")));
            }
        }
        for (int i = 0; i < points.size(); i += 2000) {
            put(admin, points.subList(i, Math.min(points.size(), i + 2000))).expectStatus().isOk();
        }
        // unaligned start and end, group-by and aggregate, plain and rate
        String start = Long.toString(now - 24 * 3600 + 37);
        String end = Long.toString(now - 13);
        for (String m : List.of("avg:5m-avg:test." + RUN + ".cache.cpu{host=*}", "sum:1m-max:test." + RUN + ".cache.cpu", "sum:5m-avg:rate:test." + RUN + ".cache.cpu{host=*}")) {
            String query = "/api/query?start=" + start + "&end=" + end + "&m=" + m;
            List<Map<String, Object>> expected = direct.get().uri(at(opentsdb, query)).exchange().expectStatus().isOk()
                    .expectBody(SERIES).returnResult().getResponseBody();
            double before = upstreamPoints();
            List<Map<String, Object>> cold = query("/api/monitor" + query.substring(4));
            double coldPoints = upstreamPoints() - before;
            List<Map<String, Object>> warm = query("/api/monitor" + query.substring(4));
            double warmPoints = upstreamPoints() - before - coldPoints;
            assertThat(cold).as("cold answer of " + m).isEqualTo(expected);
            assertThat(warm).as("warm answer of " + m).isEqualTo(expected);
            assertThat(warmPoints).as("points read upstream when warm, " + m).isLessThanOrEqualTo(coldPoints * 0.02);
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Map<String, Object>> query(String uri) {
        return http.get().uri(at(port, uri)).header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody(SERIES).returnResult().getResponseBody();
    }

    private double upstreamPoints() {
        return meters.get("loki.monitor.upstream.points").counter().count();
    }

}
