package dev.loki.ptree.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.InternalApi;
import dev.loki.ptree.PtreeTestBase;
import dev.loki.testsupport.TestInfrastructure;

/**
 * Issue 13, item 6: what changed in the tree before an alarm — edits of the node, above and below it, and every
 * binding change (bound, traffic ratio, offline, unbound) there or of a host, newest first, with who made it.
 */
class RecentChangesIntegrationTests extends PtreeTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Test
    @SuppressWarnings("unchecked")
    void treeEditsAndBindingChangesOfANodeOrAHostAreListedNewestFirstWithTheirActor() {
        Instant since = Instant.now().minusSeconds(5);
        create("/", "rc1");
        long web = create("/rc1", "web");
        long other = create("/", "rc1x");
        WebTestClient assets = client(asset.baseUrl());
        for (String h : List.of("rc1-a", "rc1-b")) {
            assets.post().uri("/api/asset/servers").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("hostname", h, "sn", "SN-" + h)).exchange().expectStatus().isCreated();
        }
        call("POST", "/api/ptree/nodes/" + web + "/servers", Map.of("hostnames", List.of("rc1-a", "rc1-b"))).expectStatus().isCreated();
        call("PATCH", "/api/ptree/nodes/" + web + "/servers/rc1-a", Map.of("trafficRatio", 0.3)).expectStatus().isOk();
        call("PATCH", "/api/ptree/nodes/" + web + "/servers/rc1-a", Map.of("offline", true)).expectStatus().isOk();
        call("DELETE", "/api/ptree/nodes/" + web + "/servers/rc1-b", null).expectStatus().isNoContent();
        call("POST", "/api/ptree/nodes/" + other + "/servers", Map.of("hostnames", List.of("rc1-b"))).expectStatus().isCreated();
        call("PATCH", "/api/ptree/nodes/" + web, Map.of("name", "www")).expectStatus().isOk();
        String window = "&since=" + since + "&until=" + Instant.now().plusSeconds(1);

        List<Map<String, Object>> node = (List<Map<String, Object>>) recent("?path=/rc1/www" + window).expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody().get("changes");
        assertThat(node).extracting(c -> c.get("kind") + " " + (c.get("hostname") == null ? c.get("nodePath") : c.get("hostname")))
                .containsExactly("rename /rc1/www", "unbound rc1-b", "binding rc1-a", "binding rc1-a", "bound rc1-b", "bound rc1-a",
                        "create /rc1/www", "create /rc1");
        assertThat(node).allSatisfy(c -> assertThat(c).containsEntry("actor", "user:admin"));
        assertThat(node.get(0).get("summary")).isEqualTo("node /rc1/web renamed to /rc1/www by user:admin");
        assertThat(node.get(2).get("summary")).isEqualTo("rc1-a on /rc1/www: taken out of traffic (offline) by user:admin");
        assertThat(node.get(3).get("summary")).isEqualTo("rc1-a on /rc1/www: traffic ratio 0.0 → 0.3 by user:admin");
        assertThat(node).as("the binding history followed the rename").allSatisfy(c -> assertThat(c.get("nodePath").toString()).doesNotContain("/rc1/web"));

        List<Map<String, Object>> host = (List<Map<String, Object>>) recent("?hostname=rc1-b" + window).expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody().get("changes");
        assertThat(host).extracting(c -> c.get("kind") + " " + c.get("nodePath")).containsExactly("bound /rc1x", "unbound /rc1/www", "bound /rc1/www");

        recent("?path=/rc1&since=soon&until=" + Instant.now()).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("since");
        recent("?since=" + since + "&until=" + Instant.now()).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("path");
        http.get().uri(InternalApi.RECENT_TREE_CHANGES + "?path=/rc1" + window).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isForbidden();
    }

    private WebTestClient.ResponseSpec recent(String query) {
        return http.get().uri(InternalApi.RECENT_TREE_CHANGES + query).header(InternalApi.TOKEN_HEADER, TestInfrastructure.INTERNAL_TOKEN).exchange();
    }

    private WebTestClient.ResponseSpec call(String method, String uri, Object body) {
        WebTestClient.RequestBodySpec request = http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri)
                .header("Authorization", "Bearer " + admin);
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
