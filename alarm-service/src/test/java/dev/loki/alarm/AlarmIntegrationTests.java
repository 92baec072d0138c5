package dev.loki.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.AlarmRaised;
import dev.loki.events.AlarmResolved;
import dev.loki.events.AlertFired;
import dev.loki.events.AlertResolved;
import dev.loki.events.EventCodec;
import dev.loki.events.EventType;
import dev.loki.events.Events;
import dev.loki.events.LokiEvent;
import dev.loki.events.ServerDeleted;
import dev.loki.events.ServerSnapshot;
import dev.loki.events.Streams;
import dev.loki.support.EventPublisher;
import dev.loki.testsupport.EventRecorder;
import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;

/**
 * Issue 13, items 1, 2 and 7: alerts from monitor-service's stream and reports from other tools become
 * alarms — deduplicated by fingerprint, with a lifecycle, notes, a history and node-scoped permissions —
 * on a real MariaDB and Redis, with a real auth-service deciding who may act.
 */
class AlarmIntegrationTests extends AlarmTestBase {

    @Test
    @SuppressWarnings("unchecked")
    void theSummaryCountsEachNodesFiringAlarmsWithTheWorstSeverityForTheBadges() {
        long a1 = id(report(admin, Map.of("fingerprint", "sum:a1", "nodePath", "/sum/a", "title", "one", "severity", "warning")));
        report(admin, Map.of("fingerprint", "sum:a2", "nodePath", "/sum/a", "title", "two", "severity", "critical")).expectStatus().isCreated();
        report(admin, Map.of("fingerprint", "sum:a3", "nodePath", "/sum/a", "title", "three", "severity", "info")).expectStatus().isCreated();
        report(admin, Map.of("fingerprint", "sum:b1", "nodePath", "/sum/b", "title", "four", "severity", "info")).expectStatus().isCreated();
        http(admin, HttpMethod.POST, "/api/alarm/alarms/" + a1 + "/ack", Map.of()).expectStatus().isOk();
        Map<String, Object> firing = summary("");
        assertThat(firing).containsEntry("status", "firing");
        List<Map<String, Object>> nodes = ((List<Map<String, Object>>) firing.get("nodes")).stream()
                .filter(n -> n.get("nodePath").toString().startsWith("/sum/")).toList();
        assertThat(nodes).containsExactly(Map.of("nodePath", "/sum/a", "count", 2, "severity", "critical"),
                Map.of("nodePath", "/sum/b", "count", 1, "severity", "info"));
        assertThat(((Number) firing.get("total")).longValue()).isEqualTo(total("?status=firing"));
        assertThat((List<Map<String, Object>>) summary("?status=acknowledged").get("nodes"))
                .contains(Map.of("nodePath", "/sum/a", "count", 1, "severity", "warning"));
        http.get().uri("/api/alarm/summary?status=resolved").header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("status");
    }

    private Map<String, Object> summary(String query) {
        return http.get().uri("/api/alarm/summary" + query).header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody();
    }

    @Test
    void theSameAlertTenTimesIsOneAlarmCountedTenTimesAndItsResolutionResolvesIt() throws Exception {
        EventRecorder raised = EventRecorder.listen(redisFactory, EventType.ALARM_RAISED, EventType.ALARM_RESOLVED);
        for (int i = 0; i < 10; i++) {
            report(admin, Map.of("fingerprint", "disk-full:db1", "nodePath", "/corp/db", "hostname", "db1", "severity", "critical",
                    "title", "disk full on db1", "labels", Map.of("mount", "/data")))
                    .expectStatus().isEqualTo(i == 0 ? 201 : 200);
        }
        List<Map<String, Object>> open = list("?nodePath=/corp/db&status=firing");
        assertThat(open).hasSize(1);
        Map<String, Object> alarm = open.get(0);
        assertThat(alarm).containsEntry("count", 10).containsEntry("hostname", "db1").containsEntry("severity", "critical")
                .containsEntry("source", "user:admin").containsEntry("labels", Map.of("mount", "/data"));
        long id = ((Number) alarm.get("id")).longValue();

        report(admin, Map.of("fingerprint", "disk-full:db1", "nodePath", "/corp/db", "status", "resolved")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("resolved").jsonPath("$.resolution").isEqualTo("manual")
                .jsonPath("$.resolvedBy").isEqualTo("user:admin");
        List<LokiEvent> events = raised.await(2, Duration.ofSeconds(10));
        assertThat(events).hasSize(2);
        assertThat(((AlarmRaised) events.get(0)).alarmId()).isEqualTo(id);
        assertThat(((AlarmResolved) events.get(1)).alarmId()).isEqualTo(id);
        raised.close();

        // resolving what is not open says so and changes nothing
        report(admin, Map.of("fingerprint", "disk-full:db1", "nodePath", "/corp/db", "status", "resolved")).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // firing again soon after: the same alarm, re-opened, with its history
        report(admin, Map.of("fingerprint", "disk-full:db1", "nodePath", "/corp/db", "title", "disk full on db1")).expectStatus().isCreated()
                .expectBody().jsonPath("$.id").isEqualTo((int) id).jsonPath("$.status").isEqualTo("firing").jsonPath("$.count").isEqualTo(11);
        Map<String, Object> details = get(id);
        assertThat(((List<Map<String, Object>>) details.get("history")).stream().map(h -> h.get("action")))
                .containsExactly("raised", "resolved", "reopened");
    }

    @Test
    void alertsFromMonitorsStreamBecomeAlarmsOnceEachEvenWhenDeliveredTwiceAndTheirResolutionClosesThem() {
        AlertFired fired = new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/corp/web", 7, "cpu busy", "critical",
                "host.cpu.usage", Map.of("host", "web7"), 97.5, ">", 90, "7:host=web7");
        append(fired);
        append(fired); // the same entry appended twice (monitor-service died after appending, before recording it)
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(list("?hostname=web7")).hasSize(1));
        Map<String, Object> alarm = list("?hostname=web7").get(0);
        assertThat(alarm).containsEntry("count", 1).containsEntry("nodePath", "/corp/web").containsEntry("fingerprint", "7:host=web7")
                .containsEntry("rule", Map.of("id", 7, "name", "cpu busy")).containsEntry("source", "monitor-service");
        assertThat(alarm.get("title").toString()).isEqualTo("cpu busy on web7: host.cpu.usage > 90 (now 97.5)");

        append(new AlertResolved(Events.newId(), Instant.now(), "monitor-service", "/corp/web", 7, "cpu busy", "host.cpu.usage",
                Map.of("host", "web7"), 40.0, "7:host=web7"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(list("?hostname=web7").get(0)).containsEntry("status", "resolved").containsEntry("resolution", "cleared"));

        // a host that stopped reporting: the rule's no-data alert says so, and how long
        append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/corp/web", 7, "cpu busy", "critical",
                "host.cpu.usage", Map.of("host", "web8"), 360, "no-data", 120, "7:no-data:host=web8"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(list("?hostname=web8")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("title", "cpu busy on web8: no host.cpu.usage for 360 s (at most 120 s allowed)")
                        .containsEntry("status", "firing")));
    }

    @Test
    void alertsAppendedWhileAlarmServiceIsDownAreAllThereWhenItStarts() {
        String otherPrefix = prefix + "down:";
        // nothing reads this prefix's stream yet: 100 alerts wait in Redis
        for (int i = 0; i < 100; i++) {
            appendAlert(otherPrefix, new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/down/svc", 8, "mem", "warning",
                    "host.mem.usage", Map.of("host", "down-" + i), 99, ">", 95, "8:host=down-" + i));
        }
        try (var started = replica(otherPrefix)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(total("?nodePath=/down&status=firing")).isEqualTo(100));
        }
    }

    @Test
    void item2_ackThenResolveWithNotesAndIllegalTransitionsAre409NamingTheAllowedOnes() {
        long id = id(report(admin, Map.of("fingerprint", "lat:api", "nodePath", "/corp/api", "title", "latency high")).expectStatus().isCreated());
        http.post().uri("/api/alarm/alarms/" + id + "/ack").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("note", "looking at it")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("acknowledged").jsonPath("$.acknowledgedBy").isEqualTo("user:admin");
        http.post().uri("/api/alarm/alarms/" + id + "/ack").header("Authorization", "Bearer " + admin).exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/illegal-transition")
                .jsonPath("$.status").isEqualTo(409).jsonPath("$.currentStatus").isEqualTo("acknowledged")
                .jsonPath("$.allowed").isEqualTo(List.of("resolve", "note"))
                .jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("allowed: resolve, note"));
        http.post().uri("/api/alarm/alarms/" + id + "/notes").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "a slow query on the primary")).exchange().expectStatus().isCreated();
        http.post().uri("/api/alarm/alarms/" + id + "/resolve").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("resolved");
        http.post().uri("/api/alarm/alarms/" + id + "/resolve").header("Authorization", "Bearer " + admin).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("allowed: note"));

        Map<String, Object> details = get(id);
        assertThat(((List<Map<String, Object>>) details.get("notes"))).singleElement()
                .satisfies(n -> assertThat(n).containsEntry("text", "a slow query on the primary").containsEntry("actor", "user:admin"));
        assertThat(((List<Map<String, Object>>) details.get("history")).stream().map(h -> h.get("action") + ":" + h.get("text")))
                .containsExactly("raised:reported by user:admin", "acknowledged:looking at it", "note:a slow query on the primary", "resolved:null");
    }

    @Test
    void item2_actingOnAnAlarmNeedsAlarmManageOnItsNode() {
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/users", Map.of("username", "searcher", "password", "searcher-pass-1"))
                .expectStatus().isCreated();
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/grants", Map.of("subject", "user:searcher", "nodePath", "/corp/search",
                "privilege", "alarm.manage")).expectStatus().isCreated();
        String searcher = login("searcher", "searcher-pass-1");
        long theirs = id(report(searcher, Map.of("fingerprint", "s:1", "nodePath", "/corp/search/web", "title", "5xx")).expectStatus().isCreated());
        long other = id(report(admin, Map.of("fingerprint", "f:1", "nodePath", "/corp/find", "title", "5xx")).expectStatus().isCreated());

        report(searcher, Map.of("fingerprint", "f:2", "nodePath", "/corp/find", "title", "5xx")).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // the fingerprint of another node's open alarm, posted on one's own node: no
        report(searcher, Map.of("fingerprint", "f:1", "nodePath", "/corp/search", "title", "5xx")).expectStatus().isForbidden();
        http(searcher, HttpMethod.POST, "/api/alarm/alarms/" + other + "/ack", Map.of()).expectStatus().isForbidden();
        http(searcher, HttpMethod.POST, "/api/alarm/alarms/" + other + "/notes", Map.of("text", "x")).expectStatus().isForbidden();
        http(searcher, HttpMethod.POST, "/api/alarm/alarms/" + theirs + "/ack", Map.of()).expectStatus().isOk();
        // reads are open to everyone signed in; nothing was changed by the refused calls
        assertThat(get(other)).containsEntry("status", "firing").containsEntry("count", 1);
        assertThat(total("?nodePath=/corp/find")).isEqualTo(1);
        http.get().uri("/api/alarm/alarms").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void badInputIs400NamingTheFieldAndStoresNothing() {
        long before = rows();
        for (Map.Entry<Map<String, Object>, String> bad : Map.<Map<String, Object>, String>of(
                Map.of("nodePath", "/corp", "title", "t"), "fingerprint",
                Map.of("fingerprint", "x y", "nodePath", "/corp", "title", "t"), "fingerprint",
                Map.of("fingerprint", "x", "nodePath", "corp", "title", "t"), "nodePath",
                Map.of("fingerprint", "x", "nodePath", "/corp"), "title",
                Map.of("fingerprint", "x", "nodePath", "/corp", "title", "t", "severity", "fatal"), "severity",
                Map.of("fingerprint", "x", "nodePath", "/corp", "title", "t", "hostname", "Web_1"), "hostname",
                Map.of("fingerprint", "x", "nodePath", "/corp", "title", "t", "status", "gone"), "status",
                Map.of("fingerprint", "x", "nodePath", "/corp", "title", "t".repeat(301)), "title").entrySet()) {
            report(admin, bad.getKey()).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(bad.getValue());
        }
        http.get().uri("/api/alarm/alarms?severity=fatal").header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("severity");
        http.get().uri("/api/alarm/alarms?nodePath=nope").header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("nodePath");
        http(admin, HttpMethod.POST, "/api/alarm/alarms/999999/ack", Map.of()).expectStatus().isNotFound();
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void item7_aRetiredServersAlarmsAreResolvedByAssetServicesStream() {
        long id = id(report(admin, Map.of("fingerprint", "gone:1", "nodePath", "/corp/old", "hostname", "old-1", "title", "down"))
                .expectStatus().isCreated());
        long elsewhere = id(report(admin, Map.of("fingerprint", "stay:1", "nodePath", "/corp/old", "hostname", "old-2", "title", "down"))
                .expectStatus().isCreated());
        ServerSnapshot server = new ServerSnapshot(41, "old-1", "SN-OLD-1", "raw", null, null, List.of(), List.of(), List.of(),
                null, null, null, null, "online", Instant.now(), Instant.now());
        append(Streams.ASSET_SERVER_RETIREMENTS, prefix, new ServerDeleted(Events.newId(), Instant.now(), "asset-service", server));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get(id)).containsEntry("status", "resolved").containsEntry("resolution", "retired"));
        assertThat(get(elsewhere)).containsEntry("status", "firing");
    }

    @Test
    void alarmsFollowTheirNodesRenameAndTheOpenOnesCloseWithItsDeletion() {
        node("/", "pt");
        long svc = node("/pt", "svc");
        long open = id(report(admin, Map.of("fingerprint", "pt:1", "nodePath", "/pt/svc", "title", "slow")).expectStatus().isCreated());
        long elsewhere = id(report(admin, Map.of("fingerprint", "pt:2", "nodePath", "/pt", "title", "slow")).expectStatus().isCreated());

        http(admin, HttpMethod.PATCH, ptree.baseUrl() + "/api/ptree/nodes/" + svc, Map.of("name", "api")).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(open)).containsEntry("nodePath", "/pt/api"));
        assertThat(list("?nodePath=/pt/api")).extracting(a -> ((Number) a.get("id")).longValue()).containsExactly(open);

        http.delete().uri(ptree.baseUrl() + "/api/ptree/nodes/" + svc).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(get(open)).containsEntry("status", "resolved").containsEntry("resolution", "retired"));
        assertThat(get(elsewhere)).containsEntry("status", "firing").containsEntry("nodePath", "/pt");
    }
}
