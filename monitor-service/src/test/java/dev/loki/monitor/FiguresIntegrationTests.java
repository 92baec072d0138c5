package dev.loki.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The computed figures from crafted raw series: availability exactly as defined, gaps where only 4xx
 * came, a node's figures from the URLs bound below it, pool servers left out of the company CPU.
 * Points lie at a moment of their own in the past (unique per run), so earlier runs' data never mixes in.
 */
class FiguresIntegrationTests extends MonitorTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    /** A 5-minute bucket start, 1–300 days ago, different for every run. */
    private static final long T = (System.currentTimeMillis() / 1000 - 86_400 - Math.floorMod(RUN.hashCode(), 300) * 86_400L) / 300 * 300;

    @Test
    void availabilityIsGoodOverCountedRequestsForDomainsAndNodes() {
        String domain = RUN + ".find.example.com";
        long product = node("/", "m" + RUN);
        long find = node("/m" + RUN, "find");
        long webApi = node("/m" + RUN + "/find", "web-api");
        List<Map<String, Object>> points = new ArrayList<>();
        // bucket T: 2xx=90, 3xx=5, 4xx=20, 5xx=5 (two writes of the 2xx, summed); bucket T+300: 4xx only
        points.add(point("url.requests", T + 60, 50, Map.of("domain", domain, "path", "/search", "status", "2xx")));
        points.add(point("url.requests", T + 120, 40, Map.of("domain", domain, "path", "/search", "status", "2xx")));
        points.add(point("url.requests", T + 60, 5, Map.of("domain", domain, "path", "/search", "status", "3xx")));
        points.add(point("url.requests", T + 60, 20, Map.of("domain", domain, "path", "/search", "status", "4xx")));
        points.add(point("url.requests", T + 60, 5, Map.of("domain", domain, "path", "/search", "status", "5xx")));
        points.add(point("url.requests", T + 360, 7, Map.of("domain", domain, "path", "/search", "status", "4xx")));
        points.add(point("url.responsetime", T + 60, 100, Map.of("domain", domain, "path", "/search")));
        points.add(point("url.bytes", T + 60, 30_000, Map.of("domain", domain, "path", "/search")));
        put(admin, points).expectStatus().isOk();
        String window = "?start=" + (T - 300) + "&end=" + (T + 900) + "&downsample=5m";

        Map<String, Object> figures = get("/api/monitor/domains/" + domain + window);
        assertThat(dps(figures, "availability")).containsEntry(Long.toString(T), 0.95).doesNotContainKey(Long.toString(T + 300));
        assertThat(dps(figures, "qps")).containsEntry(Long.toString(T), 120 / 300.0).containsEntry(Long.toString(T + 300), 7 / 300.0);
        assertThat(dps(figures, "responseTimeMs")).containsEntry(Long.toString(T), 100.0);
        assertThat(dps(figures, "bandwidthBytes")).containsEntry(Long.toString(T), 100.0);

        // the URL bound to web-api counts for the product line above it; unbinding removes it
        Map<String, Object> bound = http.post().uri(ptree.baseUrl() + "/api/ptree/nodes/" + webApi + "/urls")
                .header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("domain", domain, "path", "/search")).exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
        Map<String, Object> node = get("/api/monitor/nodes/" + find + "/availability" + window);
        assertThat(node.get("urls")).isEqualTo(List.of(domain + "/search"));
        assertThat(dps(node, "availability")).containsEntry(Long.toString(T), 0.95).hasSize(1);
        assertThat(dps(get("/api/monitor/nodes/" + product + "/availability" + window), "availability"))
                .containsEntry(Long.toString(T), 0.95);

        // deploy-service's gate asks for one figure over a window, with the internal token only
        String gate = dev.loki.events.InternalApi.NODE_AVAILABILITY + "?path=/m" + RUN + "&start=" + (T - 300) * 1000 + "&end=" + (T + 900) * 1000;
        assertThat(internal(gate).expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody())
                .containsEntry("availability", 0.95).containsEntry("requests", 100).containsEntry("path", "/m" + RUN);
        http.get().uri(gate).header("Authorization", "Bearer " + admin).exchange().expectStatus().value(s -> assertThat(s).isIn(401, 403));
        internal(dev.loki.events.InternalApi.NODE_AVAILABILITY + "?path=nope&start=0&end=1000").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("path");
        internal(dev.loki.events.InternalApi.NODE_AVAILABILITY + "?path=/m" + RUN + "&start=5000&end=1000").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("end");

        http.delete().uri(ptree.baseUrl() + "/api/ptree/nodes/" + webApi + "/urls/" + bound.get("id"))
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        Map<String, Object> unbound = get("/api/monitor/nodes/" + find + "/availability" + window);
        assertThat((List<?>) unbound.get("urls")).isEmpty();
        assertThat(dps(unbound, "availability")).isEmpty();
        // no URL, no figure: never a pass
        assertThat(internal(gate).expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody())
                .containsEntry("availability", null).containsEntry("requests", 0);

        assertThat(get("/api/monitor/domains/bad$domain" + window)).isNull();
    }

    @Test
    void poolServersDoNotMoveTheCompanyCpuAverage() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (String[] host : new String[][] {{RUN + "-web1", "20"}, {RUN + "-web2", "40"}, {RUN + "-pool1", "100"}}) {
            http.post().uri(asset.baseUrl() + "/api/asset/servers").header("Authorization", "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("hostname", host[0], "sn", "SN-" + host[0], "status", "online"))
                    .exchange().expectStatus().isCreated();
            points.add(point("host.cpu.usage", T + 30, Integer.parseInt(host[1]), Map.of("host", host[0], "idc", "bj")));
        }
        Number poolId = (Number) http.get().uri(asset.baseUrl() + "/api/asset/servers/by-hostname/" + RUN + "-pool1")
                .header("Authorization", "Bearer " + admin).exchange().expectBody(JSON).returnResult().getResponseBody().get("id");
        http.patch().uri(asset.baseUrl() + "/api/asset/servers/" + poolId).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "pool")).exchange().expectStatus().isOk();
        put(admin, points).expectStatus().isOk();

        Map<String, Object> cpu = get("/api/monitor/dashboard/cpu?start=" + (T - 300) + "&end=" + (T + 300) + "&downsample=5m");
        assertThat(dps(cpu, "dps")).containsEntry(Long.toString(T), 30.0);
        assertThat(cpu).containsEntry("hosts", 2).containsEntry("excludedPoolHosts", 1);
    }

    // ------------------------------------------------------------------ helpers

    private WebTestClient.ResponseSpec internal(String uri) {
        return http.get().uri(uri).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).exchange();
    }

    private Map<String, Object> get(String uri) {
        WebTestClient.ResponseSpec response = http.get().uri(uri).header("Authorization", "Bearer " + admin).exchange();
        if (uri.contains("$")) {
            response.expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("domain");
            return null;
        }
        return response.expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dps(Map<String, Object> figures, String name) {
        return (Map<String, Object>) figures.get(name);
    }

    private long node(String parentPath, String name) {
        Map<String, Object> node = http.post().uri(ptree.baseUrl() + "/api/ptree/nodes").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("parentPath", parentPath, "name", name)).exchange()
                .expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        return ((Number) node.get("id")).longValue();
    }
}
