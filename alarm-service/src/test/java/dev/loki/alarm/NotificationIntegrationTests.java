package dev.loki.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import dev.loki.events.AlertFired;
import dev.loki.events.AlertResolved;
import dev.loki.events.DeployMutes;
import dev.loki.events.Events;
import dev.loki.testsupport.ServiceJar;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, items 3 and 5: alarms become notifications on webhooks — one per incident (the alarms of one
 * node and rule within the group wait) with the count and the first hosts, one when it is over; signed,
 * with an Idempotency-Key, retried until the receiver accepts, every attempt recorded — to a real HTTP
 * receiver in the test.
 */
@SuppressWarnings("unchecked")
class NotificationIntegrationTests extends AlarmTestBase {

    static final String SECRET = "a-webhook-secret-of-some-length";
    static DisposableServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    /** Per hook: how many more requests it answers 503. */
    static final Map<String, AtomicInteger> refusing = new ConcurrentHashMap<>();
    static final JsonMapper json = JsonMapper.builder().build();

    record Received(String hook, String idempotencyKey, String signature, String body) {
        JsonNode tree() {
            return json.readTree(body);
        }
    }

    @BeforeAll
    static void startReceiver() {
        receiver = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/hook/{name}", (request, response) -> request.receive().aggregate().asString()
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            String hook = request.param("name");
                            received.add(new Received(hook, request.requestHeaders().get("Idempotency-Key"),
                                    request.requestHeaders().get("X-Loki-Signature"), body));
                            AtomicInteger refuse = refusing.get(hook);
                            boolean down = refuse != null && refuse.getAndDecrement() > 0;
                            return response.status(down ? 503 : 200).send().then();
                        })))
                .bindNow();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.disposeNow();
    }

    @Test
    void twentyHostsFiringOneRuleAreOneNotificationCounting20AndTheirEndIsOneResolution() {
        long channel = channel("team-n1");
        subscribe("/n1", channel, "warning");
        for (int i = 1; i <= 20; i++) {
            append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/n1", 901, "cpu busy", "critical", "host.cpu.usage",
                    Map.of("host", "n1-h" + i), 99, ">", 90, "901:host=n1-h" + i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-n1")).hasSize(1));
        Received firing = hook("team-n1").get(0);
        JsonNode body = firing.tree();
        assertThat(body.get("event").asString()).isEqualTo("firing");
        assertThat(body.get("group").get("count").asInt()).isEqualTo(20);
        assertThat(body.get("group").get("nodePath").asString()).isEqualTo("/n1");
        assertThat(body.get("group").get("title").asString()).isEqualTo("cpu busy on /n1");
        assertThat(body.get("group").get("hostnames")).hasSize(10);
        assertThat(body.get("alarm").get("hostname").asString()).startsWith("n1-h");
        assertThat(firing.signature()).isEqualTo("sha256=" + hmac(SECRET, firing.body()));
        assertThat(firing.idempotencyKey()).isNotBlank();

        long someAlarm = list("?nodePath=/n1").get(0).get("id") instanceof Number n ? n.longValue() : -1;
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveries(someAlarm)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent").containsEntry("event", "firing")
                        .containsEntry("idempotencyKey", firing.idempotencyKey()).containsEntry("channelName", "team-n1")));

        for (int i = 1; i <= 20; i++) {
            append(new AlertResolved(Events.newId(), Instant.now(), "monitor-service", "/n1", 901, "cpu busy", "host.cpu.usage",
                    Map.of("host", "n1-h" + i), 10.0, "901:host=n1-h" + i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-n1")).hasSize(2));
        assertThat(hook("team-n1").get(1).tree().get("event").asString()).isEqualTo("resolved");
        assertThat(hook("team-n1").get(1).tree().get("group").get("count").asInt()).isEqualTo(20);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveries(someAlarm)).hasSize(2)
                .allSatisfy(d -> assertThat(d).containsEntry("status", "sent")));
    }

    @Test
    void theSameAlarmReportedTenTimesIsOneNotificationAndItsResolutionOne() {
        long channel = channel("team-n2");
        subscribe("/n2", channel, "info");
        long id = 0;
        for (int i = 0; i < 10; i++) {
            id = id(report(admin, Map.of("fingerprint", "n2:disk", "nodePath", "/n2/db", "title", "disk full", "severity", "warning")));
        }
        long alarm = id;
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(alarm)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(hook("team-n2")).singleElement().satisfies(r -> {
            assertThat(r.tree().get("group").get("count").asInt()).isEqualTo(1);
            assertThat(r.tree().get("alarm").get("count").asInt()).isEqualTo(10);
        });

        report(admin, Map.of("fingerprint", "n2:disk", "nodePath", "/n2/db", "status", "resolved")).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(alarm)).hasSize(2)
                .allSatisfy(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(hook("team-n2")).hasSize(2);
        assertThat(hook("team-n2").get(1).tree().get("event").asString()).isEqualTo("resolved");
    }

    @Test
    void aWebhookThatRefusesIsTriedAgainWithTheSameKeyUntilItAcceptsAndEveryAttemptIsRecorded() {
        long channel = channel("team-n3");
        subscribe("/n3", channel, "warning");
        refusing.put("team-n3", new AtomicInteger(3));
        long alarm = id(report(admin, Map.of("fingerprint", "n3:down", "nodePath", "/n3", "title", "api down", "severity", "critical")));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries(alarm)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(hook("team-n3")).hasSize(4).extracting(Received::idempotencyKey).containsOnly(hook("team-n3").get(0).idempotencyKey());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> attempts = (List<Map<String, Object>>) deliveries(alarm).get(0).get("attempts");
        assertThat(attempts).extracting(a -> a.get("statusCode")).containsExactly(503, 503, 503, 200);
        assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3, 4);
        assertThat(attempts).allSatisfy(a -> assertThat(a).containsKey("latencyMs").containsKey("at"));
    }

    @Test
    void anIncidentNobodyAcknowledgesEscalatesToASecondChannelAndRepeatsThereUntilItEnds() {
        long team = channel("team-e1");
        long pager = channel("pager-e1");
        subscribe("/e1", team, "warning");
        http(admin, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/e1", "channelId", pager, "minSeverity", "critical",
                "escalateAfterSeconds", 4, "repeatSeconds", 2)).expectStatus().isCreated()
                .expectBody().jsonPath("$.escalateAfterSeconds").isEqualTo(4).jsonPath("$.repeatSeconds").isEqualTo(2);
        long ignored = id(report(admin, Map.of("fingerprint", "e1:ignored", "nodePath", "/e1/a", "title", "left alone", "severity", "critical")));
        long taken = id(report(admin, Map.of("fingerprint", "e1:taken", "nodePath", "/e1/b", "title", "taken", "severity", "critical")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-e1")).hasSize(2));
        http(admin, HttpMethod.POST, "/api/alarm/alarms/" + taken + "/ack", Map.of("note", "on it")).expectStatus().isOk();

        // not acknowledged 4 s after it was told: the pager hears of it, then again every 2 s
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("pager-e1")).hasSizeGreaterThanOrEqualTo(2));
        Received escalation = hook("pager-e1").get(0);
        assertThat(escalation.tree().get("event").asString()).isEqualTo("firing");
        assertThat(escalation.tree().get("escalation").get("afterSeconds").asInt()).isEqualTo(4);
        assertThat(escalation.tree().get("alarm").get("id").asLong()).isEqualTo(ignored);
        Received repeat = hook("pager-e1").get(1);
        assertThat(repeat.tree().get("event").asString()).isEqualTo("repeat");
        assertThat(repeat.tree().get("repeat").asInt()).isEqualTo(1);
        assertThat(repeat.idempotencyKey()).isNotEqualTo(escalation.idempotencyKey());
        // the team's subscription does not repeat
        assertThat(hook("team-e1")).hasSize(2).allSatisfy(r -> assertThat(r.tree().get("event").asString()).isEqualTo("firing"));

        // the end of each goes where it was told: "taken" only to the team, "left alone" to the team and the pager
        report(admin, Map.of("fingerprint", "e1:taken", "nodePath", "/e1/b", "status", "resolved")).expectStatus().isOk();
        report(admin, Map.of("fingerprint", "e1:ignored", "nodePath", "/e1/a", "status", "resolved")).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("pager-e1"))
                .anySatisfy(r -> assertThat(r.tree().get("event").asString()).isEqualTo("resolved")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-e1")).hasSize(4));
        assertThat(hook("pager-e1")).allSatisfy(r -> assertThat(r.tree().get("alarm").get("id").asLong()).isEqualTo(ignored));
        assertThat(deliveries(taken)).extracting(d -> d.get("channelName")).containsOnly("team-e1");
    }

    @Test
    void escalationAndRepeatMustBeWholeSecondsFromOneToAWeek() {
        long channel = channel("team-e2");
        for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(Map.entry("escalateAfterSeconds", 0),
                Map.entry("repeatSeconds", -5), Map.entry("repeatSeconds", 604801))) {
            http(admin, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/e2", "channelId", channel, bad.getKey(), bad.getValue()))
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo(bad.getKey());
        }
        http(admin, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/e2", "channelId", channel, "repeatSeconds", "often"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("repeatSeconds");
        http.get().uri("/api/alarm/subscriptions?nodePath=/e2").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void aNotificationListsTheDeploymentsThatRanOnItsHostAndRollbackFromTheAlarmStartsTheRollbackOfTheLatest() throws Exception {
        ServiceJar deployService = deploy();
        long node = node("/", "c1");
        http(admin, HttpMethod.POST, asset.baseUrl() + "/api/asset/idcs", Map.of("name", "dc-c1", "network", "10.71.0.0/24")).expectStatus().isCreated();
        for (int i = 1; i <= 2; i++) {
            http(admin, HttpMethod.POST, asset.baseUrl() + "/api/asset/servers", Map.of("hostname", "c1-" + i, "sn", "SN-c1-" + i, "idc", "dc-c1",
                    "privateIps", List.of(dev.loki.devstack.Fleet.address(i - 1)), "status", "online")).expectStatus().isCreated();
        }
        http(admin, HttpMethod.POST, ptree.baseUrl() + "/api/ptree/nodes/" + node + "/servers", Map.of("hostnames", List.of("c1-1", "c1-2")))
                .expectStatus().isCreated();
        long template = id(http(admin, HttpMethod.POST, deployService.baseUrl() + "/api/deploy/templates", Map.of("name", "release", "nodePath", "/c1",
                "type", "script", "steps", List.of(Map.of("name", "install", "command", "echo \"$LOKI_VERSION\" >> c1.versions")),
                "batch", Map.of("size", 1))).expectStatus().isCreated());
        long first = deployed(deployService, template, "1.0");
        long second = deployed(deployService, template, "2.0");
        long channel = channel("team-c1");
        subscribe("/c1", channel, "warning");

        long alarm = id(report(admin, Map.of("fingerprint", "c1:errors", "nodePath", "/c1", "hostname", "c1-1", "title", "errors up",
                "severity", "critical")));
        // the last batch's mute on c1-1 lapses up to 20 s after the deployment finished: then it is sent
        Awaitility.await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(hook("team-c1")).hasSize(1));
        JsonNode all = hook("team-c1").get(0).tree().get("changes");
        List<JsonNode> changes = new java.util.ArrayList<>();
        List<String> kinds = new java.util.ArrayList<>();
        all.forEach(c -> {
            if (!c.get("kind").asString().equals("grant")) {
                kinds.add(c.get("kind").asString()); // grants on / by other tests would be this node's too
            }
            if (c.get("kind").asString().equals("deployment")) {
                changes.add(c);
            }
        });
        assertThat(changes).as("newest first").hasSize(2);
        // before both, from ptree-service: the host's binding to /c1, and before it the node's creation
        assertThat(kinds).containsExactly("deployment", "deployment", "binding", "binding", "tree");
        JsonNode bound = java.util.stream.StreamSupport.stream(all.spliterator(), false)
                .filter(c -> c.get("kind").asString().equals("binding") && c.get("hostname").asString().equals("c1-1")).findFirst().orElseThrow();
        assertThat(bound.get("change").asString()).isEqualTo("bound");
        assertThat(bound.get("hostname").asString()).isEqualTo("c1-1");
        assertThat(bound.get("summary").asString()).isEqualTo("c1-1 bound to /c1 by user:admin");
        assertThat(changes.get(0).get("deployment").get("id").asLong()).isEqualTo(second);
        assertThat(changes.get(0).get("deployment").get("version").asString()).isEqualTo("2.0");
        assertThat(changes.get(0).get("actor").asString()).isEqualTo("user:admin");
        assertThat(changes.get(0).get("deployment").get("touchedHosts").get(0).asString()).isEqualTo("c1-1");
        assertThat(changes.get(0).get("summary").asString()).contains("deployment " + second, "2.0", "user:admin");
        assertThat(changes.get(1).get("deployment").get("id").asLong()).isEqualTo(first);

        Map<String, Object> shown = get(alarm);
        assertThat((List<Map<String, Object>>) shown.get("changes")).filteredOn(c -> c.containsKey("deployment"))
                .extracting(c -> ((Number) ((Map<String, Object>) c.get("deployment")).get("id")).longValue()).containsExactly(second, first);
        assertThat(shown).doesNotContainKey("changesUnavailable");

        // the host's timeline: both deployments, then the alarm
        Map<String, Object> timeline = http.get().uri("/api/alarm/timeline?hostname=c1-1&since=" + Instant.now().minusSeconds(3600))
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        List<Map<String, Object>> items = (List<Map<String, Object>>) timeline.get("items");
        assertThat(items).extracting(i -> i.get("kind")).containsExactly("binding", "deployment", "deployment", "alarm");
        assertThat((Map<String, Object>) items.get(3).get("alarm")).containsEntry("id", (int) alarm);
        // the node's timeline has the grant given there too
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/users", Map.of("username", "c1lead", "password", "c1lead-pass-1"))
                .expectStatus().isCreated();
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/grants", Map.of("subject", "user:c1lead", "nodePath", "/c1",
                "privilege", "alarm.manage")).expectStatus().isCreated();
        List<Map<String, Object>> nodeItems = (List<Map<String, Object>>) http.get().uri("/api/alarm/timeline?nodePath=/c1")
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody()
                .get("items");
        assertThat(nodeItems.get(nodeItems.size() - 1)).containsEntry("kind", "grant").containsEntry("change", "granted")
                .containsEntry("summary", "alarm.manage on /c1 granted to user:c1lead by user:admin");
        assertThat(nodeItems).extracting(i -> i.get("kind")).contains("tree", "binding", "deployment", "alarm");

        // someone without deploy.run cannot roll back from the alarm: deploy-service's refusal, nothing started
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/users", Map.of("username", "c1viewer", "password", "c1viewer-pass-1"))
                .expectStatus().isCreated();
        http(login("c1viewer", "c1viewer-pass-1"), HttpMethod.POST, "/api/alarm/alarms/" + alarm + "/rollback", null).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> rolled = http(admin, HttpMethod.POST, "/api/alarm/alarms/" + alarm + "/rollback", null).expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat((Map<String, Object>) rolled.get("rolledBack")).containsEntry("id", (int) second).containsEntry("version", "2.0");
        Map<String, Object> rollback = (Map<String, Object>) rolled.get("deployment");
        assertThat(rollback).containsEntry("rollbackOf", (int) second).containsEntry("version", "1.0");
        assertThat((List<Map<String, Object>>) get(alarm).get("history")).anySatisfy(h -> assertThat(h).containsEntry("action", "rollback")
                .containsEntry("actor", "user:admin"));
        long back = ((Number) rollback.get("id")).longValue();
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http(admin, HttpMethod.GET,
                deployService.baseUrl() + "/api/deploy/deployments/" + back, null).expectStatus().isOk().expectBody(JSON).returnResult()
                .getResponseBody()).containsEntry("status", "succeeded"));
        assertThat(java.nio.file.Files.readAllLines(fleet.sandbox(dev.loki.devstack.Fleet.address(0)).resolve("c1.versions")))
                .containsExactly("1.0", "2.0", "1.0");

        // an alarm on a host nothing ran on has nothing to roll back
        long quiet = id(report(admin, Map.of("fingerprint", "c1:other", "nodePath", "/c1", "hostname", "c1-9", "title", "odd", "severity", "info")));
        http(admin, HttpMethod.POST, "/api/alarm/alarms/" + quiet + "/rollback", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/nothing-to-roll-back");
    }

    @Test
    void whileDeployServiceCannotBeAskedAlarmsAndTheTimelineSaySoAndRollbackIs503() throws Exception {
        deploy();
        long alarm = id(report(admin, Map.of("fingerprint", "c2:x", "nodePath", "/c2", "hostname", "c2-1", "title", "x", "severity", "warning")));
        deployProxy.down();
        try {
            assertThat(get(alarm)).containsEntry("changesUnavailable", List.of("deploy-service")).containsEntry("changes", List.of());
            http.get().uri("/api/alarm/timeline?nodePath=/c2").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.unavailable[0]").isEqualTo("deploy-service").jsonPath("$.items[0].alarm.id").isEqualTo(alarm);
            http(admin, HttpMethod.POST, "/api/alarm/alarms/" + alarm + "/rollback", null).expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/deploy-service-unavailable");
        } finally {
            deployProxy.up();
        }
        assertThat(get(alarm)).doesNotContainKey("changesUnavailable");
    }

    @Test
    void theTimelineNamesTheFieldOfBadInput() {
        for (String[] bad : new String[][] {{"", "nodePath"}, {"?nodePath=/C", "nodePath"}, {"?hostname=-x", "hostname"},
                {"?nodePath=/t&since=yesterday", "since"}, {"?nodePath=/t&until=soon", "until"},
                {"?nodePath=/t&since=2026-12-04T10:00:00Z&until=2026-12-04T09:00:00Z", "since"},
                {"?nodePath=/t&since=2026-01-01T00:00:00Z&until=2026-12-01T00:00:00Z", "since"}}) {
            http.get().uri("/api/alarm/timeline" + bad[0]).header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(bad[1]);
        }
    }

    @Test
    void belowTheMinimumSeverityOrOutsideTheSubtreeNothingIsSent() {
        long channel = channel("team-n4");
        subscribe("/n4", channel, "critical");
        // opened first, so its group wait ends first: by the time the last one is sent, the others were decided
        long warning = id(report(admin, Map.of("fingerprint", "n4:warn", "nodePath", "/n4/a", "title", "slow", "severity", "warning")));
        long sibling = id(report(admin, Map.of("fingerprint", "n4x:crit", "nodePath", "/n4x", "title", "down", "severity", "critical")));
        long critical = id(report(admin, Map.of("fingerprint", "n4:crit", "nodePath", "/n4/a", "title", "down", "severity", "critical")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(critical)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(deliveries(warning)).isEmpty();
        assertThat(deliveries(sibling)).isEmpty();
        assertThat(hook("team-n4")).singleElement().satisfies(r -> assertThat(r.tree().get("alarm").get("id").asLong()).isEqualTo(critical));
    }

    @Test
    void channelsNeverShowTheirSecretOrPathAndBadInputIs400NamingTheField() {
        long id = channel("team-n5");
        Map<String, Object> shown = http.get().uri("/api/alarm/channels/" + id).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(shown).containsEntry("signed", true).containsEntry("target", "http://127.0.0.1:" + receiver.port() + "/…")
                .doesNotContainKey("secret");
        for (Map.Entry<Map<String, Object>, String> bad : Map.<Map<String, Object>, String>of(
                Map.of("name", "x", "type", "webhook", "target", "ftp://example.com/x"), "target",
                Map.of("name", "x", "type", "webhook", "target", "not a url"), "target",
                Map.of("name", "x", "type", "sms", "target", "http://example.com/"), "type",
                Map.of("name", "x", "type", "webhook", "target", "http://example.com/", "secret", "short"), "secret",
                Map.of("type", "webhook", "target", "http://example.com/"), "name").entrySet()) {
            http(admin, HttpMethod.POST, "/api/alarm/channels", bad.getKey()).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.errors[0].field").isEqualTo(bad.getValue());
        }
        http(admin, HttpMethod.POST, "/api/alarm/channels", Map.of("name", "team-n5", "type", "webhook", "target", "http://example.com/"))
                .expectStatus().isEqualTo(409);
        http(admin, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/n5", "channelId", 999999)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("channelId");
        http(admin, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/n5", "channelId", id, "minSeverity", "loud"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("minSeverity");
    }

    @Test
    void channelsNeedAlarmManageOnTheRootAndSubscriptionsOnTheirNode() {
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/users", Map.of("username", "n6user", "password", "n6user-pass-1"))
                .expectStatus().isCreated();
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/grants", Map.of("subject", "user:n6user", "nodePath", "/n6",
                "privilege", "alarm.manage")).expectStatus().isCreated();
        String user = login("n6user", "n6user-pass-1");
        long channel = channel("team-n6");
        http(user, HttpMethod.POST, "/api/alarm/channels", Map.of("name", "mine", "type", "webhook", "target", "http://example.com/"))
                .expectStatus().isForbidden();
        long own = id(http(user, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/n6/web", "channelId", channel))
                .expectStatus().isCreated());
        http(user, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", "/n7", "channelId", channel)).expectStatus().isForbidden();
        http.delete().uri("/api/alarm/channels/" + channel).header("Authorization", "Bearer " + user).exchange().expectStatus().isForbidden();
        http.delete().uri("/api/alarm/subscriptions/" + own).header("Authorization", "Bearer " + user).exchange().expectStatus().isNoContent();
        http.get().uri("/api/alarm/subscriptions?nodePath=/n6/web/x").header("Authorization", "Bearer " + user).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void aSilenceOnASubtreeHoldsBackItsAlarmsAndNotThoseOfAnotherSubtree() {
        long channel = channel("team-corp");
        subscribe("/s1corp", channel, "info");
        Instant now = Instant.now();
        long silence = id(http(admin, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/s1corp/search",
                "startsAt", now.minusSeconds(60).toString(), "endsAt", now.plusSeconds(3600).toString(), "comment", "index rebuild"))
                .expectStatus().isCreated());
        // opened first, so its group wait ends first: by the time the other is sent, this one was decided
        long held = id(report(admin, Map.of("fingerprint", "s1:search", "nodePath", "/s1corp/search/web", "title", "5xx")));
        long sent = id(report(admin, Map.of("fingerprint", "s1:find", "nodePath", "/s1corp/find", "title", "5xx")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(sent)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(deliveries(held)).isEmpty();
        assertThat(get(held)).containsEntry("status", "firing");

        // the silence ends while the alarm still fires: now it is notified
        http.delete().uri("/api/alarm/silences/" + silence).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(held)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
    }

    @Test
    void aRecurringWindowMutesOnlyInsideItsHoursAndMatchersNarrowIt() {
        long channel = channel("team-s2");
        subscribe("/s2", channel, "info");
        Instant now = Instant.now();
        // yesterday 10 minutes either side of this time, every day: on now
        http(admin, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/s2", "repeat", "daily",
                "matchers", List.of(Map.of("label", "hostname", "value", "s2-a")),
                "startsAt", now.minus(Duration.ofDays(1)).minusSeconds(600).toString(),
                "endsAt", now.minus(Duration.ofDays(1)).plusSeconds(600).toString(), "comment", "nightly backup")).expectStatus().isCreated();
        // yesterday one to two hours from this time, every day: off now
        http(admin, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/s2", "repeat", "daily",
                "matchers", List.of(Map.of("label", "hostname", "value", "s2-b")),
                "startsAt", now.minus(Duration.ofDays(1)).plusSeconds(3600).toString(),
                "endsAt", now.minus(Duration.ofDays(1)).plusSeconds(7200).toString(), "comment", "later window")).expectStatus().isCreated();
        long inside = id(report(admin, Map.of("fingerprint", "s2:a", "nodePath", "/s2", "hostname", "s2-a", "title", "load")));
        long other = id(report(admin, Map.of("fingerprint", "s2:c", "nodePath", "/s2", "hostname", "s2-c", "title", "load")));
        long outside = id(report(admin, Map.of("fingerprint", "s2:b", "nodePath", "/s2", "hostname", "s2-b", "title", "load")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(outside)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(deliveries(other)).singleElement().satisfies(d -> assertThat(d).containsEntry("status", "sent"));
        assertThat(deliveries(inside)).isEmpty();
    }

    @Test
    void silencesAreValidatedAndNeedAlarmManageOnTheirNode() {
        Instant now = Instant.now();
        for (Map.Entry<Map<String, Object>, String> bad : Map.<Map<String, Object>, String>of(
                Map.of("nodePath", "/s3", "startsAt", now.toString(), "endsAt", now.minusSeconds(1).toString(), "comment", "x"), "endsAt",
                Map.of("nodePath", "/s3", "startsAt", now.toString(), "endsAt", now.plus(Duration.ofDays(2)).toString(), "repeat", "daily",
                        "comment", "x"), "endsAt",
                Map.of("nodePath", "/s3", "startsAt", now.toString(), "endsAt", now.plusSeconds(60).toString(), "repeat", "hourly",
                        "comment", "x"), "repeat",
                Map.of("nodePath", "/s3", "startsAt", "tomorrow", "endsAt", now.plusSeconds(60).toString(), "comment", "x"), "startsAt",
                Map.of("nodePath", "s3", "startsAt", now.toString(), "endsAt", now.plusSeconds(60).toString(), "comment", "x"), "nodePath",
                Map.of("nodePath", "/s3", "startsAt", now.toString(), "endsAt", now.plusSeconds(60).toString()), "comment",
                Map.of("nodePath", "/s3", "startsAt", now.toString(), "endsAt", now.plusSeconds(60).toString(), "comment", "x",
                        "matchers", List.of(Map.of("label", "1x", "value", "y"))), "matchers[0].label").entrySet()) {
            http(admin, HttpMethod.POST, "/api/alarm/silences", bad.getKey()).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody().jsonPath("$.errors[0].field").isEqualTo(bad.getValue());
        }
        http(admin, HttpMethod.POST, auth.baseUrl() + "/api/auth/users", Map.of("username", "s3user", "password", "s3user-pass-1"))
                .expectStatus().isCreated();
        String user = login("s3user", "s3user-pass-1");
        http(user, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/s3", "startsAt", now.toString(),
                "endsAt", now.plusSeconds(60).toString(), "comment", "x")).expectStatus().isForbidden();
        http.get().uri("/api/alarm/silences?nodePath=/s3").header("Authorization", "Bearer " + user).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void anAlarmOnAHostOfARunningBatchIsRecordedNotSentWhileTheSameRuleElsewhereIs() {
        long channel = channel("team-dm");
        subscribe("/dm", channel, "info");
        // what deploy-service's driver holds while dm-1 is in its running batch
        mute("dm-1", new DeployMutes.Mute(77, 5, "2.4.0", "/dm", 0), Duration.ofSeconds(60));
        append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/dm", 951, "5xx", "critical", "url.requests",
                Map.of("host", "dm-1"), 50, ">", 10, "951:host=dm-1"));
        append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/dm", 951, "5xx", "critical", "url.requests",
                Map.of("host", "dm-2"), 50, ">", 10, "951:host=dm-2"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-dm")).hasSize(1));
        JsonNode group = hook("team-dm").get(0).tree().get("group");
        assertThat(group.get("count").asInt()).isEqualTo(1);
        assertThat(group.get("hostnames").get(0).asString()).isEqualTo("dm-2");
        assertThat(group.get("hostnames")).hasSize(1);

        Map<String, Object> held = list("?hostname=dm-1").get(0);
        assertThat(held).containsEntry("status", "firing").containsEntry("mutedBy", Map.of("id", 77, "version", "2.4.0"));
        assertThat(((List<Map<String, Object>>) get(((Number) held.get("id")).longValue()).get("history")).stream().map(h -> h.get("action")))
                .contains("muted");

        // the batch is done (the mute gone) and dm-1 still fires: one follow-up for it, naming the deployment
        redis.delete(DeployMutes.key(prefix, "dm-1")).block(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-dm")).hasSize(2));
        JsonNode followUp = hook("team-dm").get(1).tree().get("group");
        assertThat(followUp.get("count").asInt()).isEqualTo(1);
        assertThat(followUp.get("hostnames").get(0).asString()).isEqualTo("dm-1");
        assertThat(followUp.get("deployments").get(0).get("id").asLong()).isEqualTo(77);
        assertThat(hook("team-dm").get(1).idempotencyKey()).isNotEqualTo(hook("team-dm").get(0).idempotencyKey());
    }

    @Test
    void whenTheMuteLapsesWhatStillFiresIsSentOnceNamingTheDeployment() {
        long channel = channel("team-dl");
        subscribe("/dl", channel, "info");
        // deploy-service stopped renewing (its batch is done, or it died): the mute lapses by itself
        mute("dl-1", new DeployMutes.Mute(78, 5, "3.0", "/dl", 1), Duration.ofSeconds(4));
        append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/dl", 952, "latency", "warning", "url.responsetime",
                Map.of("host", "dl-1"), 900, ">", 500, "952:host=dl-1"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(list("?hostname=dl-1")).singleElement()
                .satisfies(a -> assertThat(a).containsKey("mutedBy")));
        long alarm = ((Number) list("?hostname=dl-1").get(0).get("id")).longValue();

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-dl")).hasSize(1));
        JsonNode group = hook("team-dl").get(0).tree().get("group");
        assertThat(group.get("deployments").get(0).get("id").asLong()).isEqualTo(78);
        assertThat(group.get("deployments").get(0).get("version").asString()).isEqualTo("3.0");
        // it went out only after the mute had been seen
        Instant mutedAt = ((List<Map<String, Object>>) get(alarm).get("history")).stream().filter(h -> "muted".equals(h.get("action")))
                .map(h -> Instant.parse(h.get("at").toString())).findFirst().orElseThrow();
        assertThat(Instant.parse(deliveries(alarm).get(0).get("createdAt").toString())).isAfter(mutedAt);
    }

    @Test
    void aDeliveryHeldByAReplicaThatDiedIsSentByAnotherOnceItsLeaseLapsesWithTheSameKey() {
        long channel = channel("team-kill");
        subscribe("/kill", channel, "info");
        refusing.put("team-kill", new AtomicInteger(1_000));
        long alarm = id(report(admin, Map.of("fingerprint", "kill:1", "nodePath", "/kill", "title", "disk")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !hook("team-kill").isEmpty());

        // a replica claims it and dies mid-send: its lease holds the delivery for 3 s, then anyone may take it
        Instant lapses = Instant.now().plusSeconds(3);
        db.sql("UPDATE deliveries SET lease_owner = 'a-replica-that-died', lease_until = :until, next_attempt_at = :now "
                        + "WHERE incident_id = (SELECT incident_id FROM alarms WHERE id = :alarm)")
                .bind("until", dev.loki.support.Times.utc(lapses)).bind("now", dev.loki.support.Times.utc(Instant.now()))
                .bind("alarm", alarm).then().block(Duration.ofSeconds(5));
        int before = hook("team-kill").size();
        refusing.get("team-kill").set(0);

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(alarm)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        List<Received> all = hook("team-kill");
        assertThat(all).extracting(Received::idempotencyKey).containsOnly(all.get(0).idempotencyKey());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> attempts = (List<Map<String, Object>>) deliveries(alarm).get(0).get("attempts");
        assertThat(attempts).hasSize(all.size());
        Map<String, Object> accepted = attempts.get(attempts.size() - 1);
        assertThat(accepted).containsEntry("statusCode", 200);
        assertThat(Instant.parse(accepted.get("at").toString())).isAfterOrEqualTo(lapses.minusMillis(5));
        assertThat(all.size()).isGreaterThan(before);
    }

    @Test
    void aServerInMaintenanceOrInThePoolNeverPagesWhileAnOnlineOneOfTheSameRuleDoes() {
        long channel = channel("team-mt");
        subscribe("/mt", channel, "info");
        for (String[] server : new String[][] {{"mt-1", "maintenance"}, {"mt-2", "pool"}, {"mt-3", "online"}}) {
            http(admin, HttpMethod.POST, asset.baseUrl() + "/api/asset/servers", Map.of("hostname", server[0], "sn", "SN-" + server[0],
                    "status", server[1])).expectStatus().isCreated();
        }
        for (String host : List.of("mt-1", "mt-2", "mt-3")) {
            append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/mt", 961, "disk", "critical", "host.disk.usage",
                    Map.of("host", host), 99, ">", 90, "961:host=" + host));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-mt")).hasSize(1));
        JsonNode group = hook("team-mt").get(0).tree().get("group");
        assertThat(group.get("count").asInt()).isEqualTo(1);
        assertThat(group.get("hostnames").get(0).asString()).isEqualTo("mt-3");
        assertThat(total("?nodePath=/mt&status=firing")).isEqualTo(3);
    }

    @Test
    void twoReplicasSendEachNotificationOnce() {
        long channel = channel("team-two");
        subscribe("/two", channel, "info");
        try (var second = replica(prefix)) {
            // a second replica on the same database and Redis: both judge incidents and send deliveries
            for (int i = 1; i <= 5; i++) {
                append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/two", 971, "errors", "critical", "url.requests",
                        Map.of("host", "two-" + i), 40, ">", 10, "971:host=two-" + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook("team-two")).hasSize(1));
            long alarm = ((Number) list("?nodePath=/two").get(0).get("id")).longValue();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveries(alarm)).singleElement()
                    .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
            for (int i = 1; i <= 5; i++) {
                append(new AlertResolved(Events.newId(), Instant.now(), "monitor-service", "/two", 971, "errors", "url.requests",
                        Map.of("host", "two-" + i), 1.0, "971:host=two-" + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(alarm)).hasSize(2)
                    .allSatisfy(d -> assertThat(d).containsEntry("status", "sent")));
            // every delivery went out exactly once: as many requests as deliveries, each key once
            assertThat(hook("team-two")).hasSize(2).extracting(Received::idempotencyKey).doesNotHaveDuplicates();
            assertThat(deliveries(alarm)).allSatisfy(d -> assertThat((List<?>) d.get("attempts")).hasSize(1));
        }
    }

    @Test
    void aFiringNodeLevelAlarmHoldsBackTheHostAlarmsBeneathItUntilItIsResolved() {
        long channel = channel("team-inh");
        subscribe("/inh", channel, "info");
        long node = id(report(admin, Map.of("fingerprint", "inh:availability", "nodePath", "/inh", "title", "availability 80%",
                "severity", "critical")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(node)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        for (String host : List.of("inh-1", "inh-2")) {
            append(new AlertFired(Events.newId(), Instant.now(), "monitor-service", "/inh/web", 981, "5xx", "critical", "url.requests",
                    Map.of("host", host), 30, ">", 5, "981:host=" + host));
        }
        // a host alarm of another node, opened after them: when it is sent, theirs were judged (and held back)
        long marker = id(report(admin, Map.of("fingerprint", "inh:marker", "nodePath", "/inhx", "hostname", "inh-9", "title", "x")));
        subscribe("/inhx", channel, "info");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(marker)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        long host = ((Number) list("?hostname=inh-1").get(0).get("id")).longValue();
        assertThat(deliveries(host)).isEmpty();

        // the node recovers; its hosts still fire: now they are told, once, together
        report(admin, Map.of("fingerprint", "inh:availability", "nodePath", "/inh", "status", "resolved")).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(host)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        assertThat(hook("team-inh").stream().filter(r -> r.tree().get("group").get("nodePath").asString().equals("/inh/web")).toList())
                .singleElement().satisfies(r -> assertThat(r.tree().get("group").get("count").asInt()).isEqualTo(2));
    }

    @Test
    void theEffectivePolicyOfANodeSaysWhichSilencesSubscriptionsAndNodeAlarmsApplyAndFromWhere() {
        long channel = channel("team-pol");
        subscribe("/pol", channel, "warning");
        subscribe("/pol/web", channel, "critical");
        subscribe("/polx", channel, "info");
        Instant now = Instant.now();
        http(admin, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/pol", "startsAt", now.minusSeconds(60).toString(),
                "endsAt", now.plusSeconds(600).toString(), "comment", "on")).expectStatus().isCreated();
        http(admin, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/pol/web/api", "startsAt", now.minusSeconds(60).toString(),
                "endsAt", now.plusSeconds(600).toString(), "comment", "below: does not apply")).expectStatus().isCreated();
        http(admin, HttpMethod.POST, "/api/alarm/silences", Map.of("nodePath", "/pol/web", "startsAt", now.plusSeconds(600).toString(),
                "endsAt", now.plusSeconds(1200).toString(), "comment", "later")).expectStatus().isCreated();
        long node = id(report(admin, Map.of("fingerprint", "pol:avail", "nodePath", "/pol", "title", "availability")));

        Map<String, Object> policy = http.get().uri("/api/alarm/policy?nodePath=/pol/web").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(policy).containsEntry("nodePath", "/pol/web");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> silences = (List<Map<String, Object>>) policy.get("silences");
        assertThat(silences).extracting(s -> s.get("from") + ":" + s.get("activeNow")).containsExactlyInAnyOrder("/pol:true", "/pol/web:false");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> subscriptions = (List<Map<String, Object>>) policy.get("subscriptions");
        assertThat(subscriptions).extracting(s -> s.get("from") + ":" + s.get("minSeverity") + ":" + s.get("channelName"))
                .containsExactly("/pol/web:critical:team-pol", "/pol:warning:team-pol");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> inhibitors = (List<Map<String, Object>>) policy.get("inhibitors");
        assertThat(inhibitors).singleElement().satisfies(i -> assertThat(i).containsEntry("alarmId", (int) node).containsEntry("from", "/pol"));
        http.get().uri("/api/alarm/policy?nodePath=pol").header("Authorization", "Bearer " + admin).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("nodePath");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEffectivePolicyListsMonitorsRulesOnTheNodeAndAboveAndSaysWhenMonitorCannotBeAsked() {
        Map<String, Object> before = http.get().uri("/api/alarm/policy?nodePath=/polr/web").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        if (monitor == null) {
            assertThat(before).containsEntry("unavailable", List.of("monitor-service")).containsEntry("rules", List.of());
        }
        ServiceJar monitorService = monitor();
        node("/", "polr");
        node("/polr", "web");
        node("/polr/web", "api");
        for (String[] rule : new String[][] {{"/polr", "cpu busy"}, {"/polr/web", "web silent"}, {"/polr/web/api", "below: does not apply"}}) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", rule[1], "nodePath", rule[0], "metric", "host.cpu.usage",
                    "comparator", ">", "threshold", 90, "forSeconds", 60, "severity", "critical"));
            if (rule[1].equals("web silent")) {
                body.put("noDataSeconds", 300);
            }
            http(admin, HttpMethod.POST, monitorService.baseUrl() + "/api/monitor/rules", body).expectStatus().isCreated();
        }
        Map<String, Object> policy = http.get().uri("/api/alarm/policy?nodePath=/polr/web").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(policy).doesNotContainKey("unavailable");
        assertThat((List<Map<String, Object>>) policy.get("rules")).extracting(r -> r.get("from") + ":" + r.get("name"))
                .containsExactly("/polr/web:web silent", "/polr:cpu busy");
        assertThat(((List<Map<String, Object>>) policy.get("rules")).get(0)).containsEntry("noDataSeconds", 300).containsEntry("enabled", true)
                .containsEntry("metric", "host.cpu.usage");
    }

    @Test
    void anEmailChannelSendsOneMessagePerNotificationWhoseMessageIdIsItsKey() throws Exception {
        long channel = id(http(admin, HttpMethod.POST, "/api/alarm/channels", Map.of("name", "oncall-mail", "type", "email",
                "target", "oncall@example.com, lead@example.com")).expectStatus().isCreated());
        subscribe("/mail", channel, "warning");
        long alarm = id(report(admin, Map.of("fingerprint", "mail:1", "nodePath", "/mail", "hostname", "mail-1", "title", "queue stuck",
                "severity", "critical")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries(alarm)).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "sent")));
        Map<String, Object> delivery = deliveries(alarm).get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> attempts = (List<Map<String, Object>>) delivery.get("attempts");
        assertThat(attempts).singleElement().satisfies(a -> assertThat(a).containsEntry("statusCode", 250));

        jakarta.mail.internet.MimeMessage[] messages = java.util.Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> { try { return m.getSubject().contains("queue stuck"); } catch (Exception e) { return false; } })
                .toArray(jakarta.mail.internet.MimeMessage[]::new);
        // one message, to both addresses (GreenMail keeps a copy per recipient)
        assertThat(messages).hasSize(2);
        assertThat(messages[0].getSubject()).isEqualTo("[Loki] FIRING critical: queue stuck (1)");
        assertThat(messages[0].getMessageID()).isEqualTo("<" + delivery.get("idempotencyKey") + "@loki>");
        assertThat(messages[0].getHeader("X-Loki-Idempotency-Key")[0]).isEqualTo(delivery.get("idempotencyKey"));
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(messages[0])).contains("hosts: mail-1");

        http(admin, HttpMethod.POST, "/api/alarm/channels", Map.of("name", "bad-mail", "type", "email", "target", "not an address"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("target");
        assertThat(http.get().uri("/api/alarm/channels/" + channel).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody()).containsEntry("target", "oncall@example.com, lead@example.com");
    }

    // ------------------------------------------------------------------ helpers

    private void mute(String hostname, DeployMutes.Mute mute, Duration ttl) {
        redis.opsForValue().set(DeployMutes.key(prefix, hostname), json.writeValueAsString(mute), ttl).block(Duration.ofSeconds(5));
    }

    /** Deploys {@code version} of {@code template} and waits for it to succeed: its id. */
    private long deployed(ServiceJar deployService, long template, String version) {
        long id = id(http(admin, HttpMethod.POST, deployService.baseUrl() + "/api/deploy/deployments", Map.of("templateId", template, "version", version))
                .expectStatus().isCreated());
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http(admin, HttpMethod.GET,
                deployService.baseUrl() + "/api/deploy/deployments/" + id, null).expectStatus().isOk().expectBody(JSON).returnResult()
                .getResponseBody()).containsEntry("status", "succeeded"));
        return id;
    }

    private long channel(String name) {
        return id(http(admin, HttpMethod.POST, "/api/alarm/channels", Map.of("name", name, "type", "webhook",
                "target", "http://127.0.0.1:" + receiver.port() + "/hook/" + name, "secret", SECRET)).expectStatus().isCreated());
    }

    private void subscribe(String nodePath, long channel, String minSeverity) {
        http(admin, HttpMethod.POST, "/api/alarm/subscriptions", Map.of("nodePath", nodePath, "channelId", channel, "minSeverity", minSeverity))
                .expectStatus().isCreated();
    }

    private static List<Received> hook(String name) {
        return received.stream().filter(r -> r.hook().equals(name)).toList();
    }

    private List<Map<String, Object>> deliveries(long alarm) {
        return http.get().uri("/api/alarm/alarms/" + alarm + "/deliveries").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
    }

    private static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
