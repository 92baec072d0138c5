package dev.loki.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.deploy.DeployIntegrationTest;
import dev.loki.deploy.DeployPlatform;
import dev.loki.testsupport.ServiceJar;
import dev.loki.testsupport.TestInfrastructure;
import dev.loki.events.DeploymentFinished;
import dev.loki.events.EventCodec;
import dev.loki.events.Streams;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import dev.loki.events.EventType;
import dev.loki.events.LokiEvent;
import dev.loki.testsupport.EventRecorder;

/**
 * Issue 12, items 3–5 against real hosts: deployments run over SSH on the simulated fleet (a real MINA
 * SSH server on loopback addresses), their hosts found through real ptree- and asset-service. The
 * hosts' sandboxes prove what ran and how often.
 */
class DeploymentIntegrationTests extends DeployIntegrationTest {

    private static final String MAIN = "dev.loki.deploy.DeployServiceApplication";


    private long template(String nodePath, List<Map<String, Object>> steps, Map<String, Object> batch, Map<String, String> parameters) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "release", "nodePath", nodePath, "type", "script", "steps", steps, "batch", batch));
        body.put("parameters", parameters);
        return ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
    }

    private Map<String, Object> preview(long template) {
        return platform.call("POST", url("/api/deploy/plans"), Map.of("templateId", template)).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
    }

    private static List<Map<String, Object>> hosts(Map<String, Object> deployment) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> batch : (List<Map<String, Object>>) deployment.get("batches")) {
            all.addAll((List<Map<String, Object>>) batch.get("hosts"));
        }
        return all;
    }

    private static List<List<String>> batches(Map<String, Object> planOrDeployment) {
        return ((List<Map<String, Object>>) planOrDeployment.get("batches")).stream()
                .map(b -> ((List<Map<String, Object>>) b.get("hosts")).stream().map(h -> h.get("hostname").toString()).toList()).toList();
    }

    @Test
    void aScriptRunsThePreviewedBatchesOnEveryHostOnceWithItsParametersAndLogs() throws Exception {
        String node = platform.fleetNode("rollout", 1, 6);
        long template = template(node, List.of(
                        Map.of("name", "announce", "command", "echo \"hello $LOKI_PARAM_who at $LOKI_VERSION\"; echo warn >&2"),
                        Map.of("name", "work", "command", "date +%s%N >> rollout.window; echo ran >> rollout.ran; sleep 0.3; date +%s%N >> rollout.window")),
                Map.of("ramp", "1 50% 100%", "perIdcConcurrency", 1), Map.of("who", "nobody"));
        Map<String, Object> preview = preview(template);

        Map<String, Object> started = start(Map.of("templateId", template, "version", "2.0.1", "parameters", Map.of("who", "it's $(me)")));
        long id = ((Number) started.get("id")).longValue();
        assertThat(started.get("revision")).isEqualTo(1);
        Map<String, Object> done = awaitStatus(id, "succeeded");

        // one canary, then at most one host per IDC at a time
        assertThat(batches(done)).as("the executed batches are the preview's").isEqualTo(batches(preview)).hasSize(4);
        assertThat(hosts(done)).hasSize(6).allSatisfy(h -> {
            assertThat(h.get("status")).isEqualTo("succeeded");
            assertThat(h.get("exitCode")).isEqualTo(0);
        });
        Map<String, String> idcOf = new HashMap<>();
        Map<String, long[]> windows = new HashMap<>();
        for (Map<String, Object> host : hosts(done)) {
            String hostname = host.get("hostname").toString();
            idcOf.put(hostname, host.get("idc").toString());
            assertThat(Files.readString(platform.sandbox(hostname).resolve("rollout.ran"))).as("ran once on " + hostname).isEqualTo("ran\n");
            List<String> window = Files.readAllLines(platform.sandbox(hostname).resolve("rollout.window"));
            windows.put(hostname, new long[] {Long.parseLong(window.get(0)), Long.parseLong(window.get(1))});
            String log = platform.call("GET", url("/api/deploy/deployments/" + id + "/hosts/" + hostname + "/log"), null)
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(log).contains("hello it's $(me) at 2.0.1").contains(" ! warn");
            List<Map<String, Object>> journal = platform.call("GET", url("/api/deploy/deployments/" + id + "/hosts/" + hostname + "/journal"), null)
                    .expectStatus().isOk().expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
                    }).returnResult().getResponseBody();
            assertThat(journal).extracting(j -> j.get("name"), j -> j.get("exitCode")).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("announce", 0), org.assertj.core.groups.Tuple.tuple("work", 0));
        }
        // perIdcConcurrency 1: no two hosts of one IDC ever worked at the same time (the hosts' own clocks say)
        for (String a : windows.keySet()) {
            for (String b : windows.keySet()) {
                if (!a.equals(b) && idcOf.get(a).equals(idcOf.get(b))) {
                    assertThat(windows.get(a)[1] < windows.get(b)[0] || windows.get(b)[1] < windows.get(a)[0])
                            .as(a + " and " + b + " of " + idcOf.get(a) + " overlapped").isTrue();
                }
            }
        }
        // a finished deployment moves no more: 409 naming what is allowed (nothing)
        platform.call("POST", url("/api/deploy/deployments/" + id + "/resume"), Map.of()).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/illegal-transition")
                .jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("allowed now: rollback"));
    }

    @Test
    void aFailingHostPausesTheRunAndARetryFromTheFailedStepFinishesIt() throws Exception {
        String node = platform.fleetNode("flaky", 7, 8);
        long template = template(node, List.of(
                        Map.of("name", "first", "command", "echo first >> flaky.steps"),
                        Map.of("name", "second", "command", "if [ -f flaky.fail ]; then echo broken >&2; exit 7; fi; echo second >> flaky.steps")),
                Map.of("size", 1, "maxFailures", "0", "onFailure", "pause"), Map.of());
        Map<String, Object> preview = preview(template);
        String failing = batches(preview).get(0).get(0);
        String other = batches(preview).get(1).get(0);
        Files.writeString(platform.sandbox(failing).resolve("flaky.fail"), "");

        long id = ((Number) start(Map.of("templateId", template, "version", "1")).get("id")).longValue();
        Map<String, Object> paused = awaitStatus(id, "paused");
        assertThat(paused.get("reason").toString()).startsWith("failure-budget");
        Map<String, Object> failed = hosts(paused).stream().filter(h -> h.get("hostname").equals(failing)).findFirst().orElseThrow();
        assertThat(failed).containsEntry("status", "failed").containsEntry("exitCode", 7).containsEntry("step", 1).containsEntry("stepName", "second");
        assertThat(hosts(paused).stream().filter(h -> h.get("hostname").equals(other)).findFirst().orElseThrow()).containsEntry("status", "pending");

        // illegal moves name the legal ones; a second run of the template is refused while this one is unfinished
        platform.call("POST", url("/api/deploy/deployments/" + id + "/pause"), null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.allowed[0]").isEqualTo("resume");
        platform.call("POST", url("/api/deploy/deployments/" + id + "/hosts/" + other + "/retry"), null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("allowed now: skip"));
        platform.call("POST", url("/api/deploy/deployments"), Map.of("templateId", template, "version", "2")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/deployment-running");

        Files.delete(platform.sandbox(failing).resolve("flaky.fail"));
        platform.call("POST", url("/api/deploy/deployments/" + id + "/hosts/" + failing + "/retry"), null).expectStatus().isOk();
        Map<String, Object> done = awaitStatus(id, "succeeded");
        assertThat(hosts(done)).allSatisfy(h -> assertThat(h.get("status")).isEqualTo("succeeded"));
        assertThat(Files.readAllLines(platform.sandbox(failing).resolve("flaky.steps"))).as("the retry began at the failed step")
                .containsExactly("first", "second");
        assertThat(hosts(done).stream().filter(h -> h.get("hostname").equals(failing)).findFirst().orElseThrow()).containsEntry("attempt", 2);
        String log = platform.call("GET", url("/api/deploy/deployments/" + id + "/hosts/" + failing + "/log"), null)
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(log).contains(" ! broken");
    }

    @Test
    void cancelStopsTheRunningStepOnItsHostStartsNoOtherAndFreesTheTemplate() throws Exception {
        String node = platform.fleetNode("slow", 9, 11);
        long template = template(node, List.of(Map.of("name", "wait", "command", "while [ ! -f slow.go ]; do sleep 0.1; done; echo ran >> slow.ran")),
                Map.of("size", 1), Map.of());
        Map<String, Object> preview = preview(template);
        String first = batches(preview).get(0).get(0);
        long id = ((Number) start(Map.of("templateId", template, "version", "1")).get("id")).longValue();
        Awaitility.await().atMost(RUN).until(() -> hosts(deployment(id)).stream().anyMatch(h -> "running".equals(h.get("status"))));

        platform.call("POST", url("/api/deploy/deployments/" + id + "/cancel"), Map.of("note", "wrong version")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("cancelled");
        // the running step is stopped on its host: it never gets to its end
        Awaitility.await().atMost(RUN).until(() -> hosts(deployment(id)).stream().noneMatch(h -> "running".equals(h.get("status"))));
        List<Map<String, Object>> after = hosts(deployment(id));
        assertThat(after).allSatisfy(h -> assertThat(h.get("status")).isEqualTo("cancelled"));
        assertThat(after.stream().filter(h -> h.get("hostname").equals(first)).findFirst().orElseThrow().get("reason"))
                .isEqualTo("step wait was stopped: the deployment was cancelled");
        for (String hostname : batches(preview).stream().flatMap(List::stream).toList()) {
            assertThat(platform.sandbox(hostname).resolve("slow.ran")).doesNotExist();
        }
        // the template is free again
        Files.writeString(platform.sandbox(first).resolve("slow.go"), "");
        long again = ((Number) start(Map.of("templateId", template, "version", "2", "hosts", List.of(first))).get("id")).longValue();
        awaitStatus(again, "succeeded");
        assertThat(platform.sandbox(first).resolve("slow.ran")).hasContent("ran");
    }

    @Test
    void aDeploymentOutlivesKillNineOfItsControllerAndEveryStepRunsExactlyOnce() throws Exception {
        String node = platform.fleetNode("survivor", 13, 15);
        // its settings as SPRING_APPLICATION_JSON: the process reads them as properties
        Map<String, String> environment = Map.of("SPRING_APPLICATION_JSON", new tools.jackson.databind.json.JsonMapper()
                .writeValueAsString(platform.properties(TestInfrastructure.newDatabase("deploykill"))));
        List<Map<String, Object>> steps = List.of(
                Map.of("name", "one", "command", "echo one >> survivor.steps"),
                Map.of("name", "two", "command", "echo two-started >> survivor.steps; while [ ! -f survivor.go ]; do sleep 0.05; done; echo two >> survivor.steps"),
                Map.of("name", "three", "command", "echo three >> survivor.steps"));
        long id;
        List<String> all;
        try (ServiceJar first = ServiceJar.startMain("deploy-service", MAIN, environment)) {
            long template = ((Number) platform.call("POST", first.baseUrl() + "/api/deploy/templates", Map.of("name", "release", "nodePath", node,
                    "type", "script", "steps", steps, "batch", Map.of("size", 2))).expectStatus().isCreated()
                    .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
            Map<String, Object> started = platform.call("POST", first.baseUrl() + "/api/deploy/deployments", Map.of("templateId", template, "version", "7"))
                    .expectStatus().isCreated().expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
            id = ((Number) started.get("id")).longValue();
            all = batches(started).stream().flatMap(List::stream).toList();
            List<String> firstBatch = batches(started).get(0);
            // mid-batch: both hosts of the first batch are inside step two
            Awaitility.await().atMost(RUN).until(() -> firstBatch.stream().allMatch(h -> lines(h).contains("two-started")));
            first.kill();
        }
        try (ServiceJar second = ServiceJar.startMain("deploy-service", MAIN, environment)) {
            for (String hostname : all) {
                Files.writeString(platform.sandbox(hostname).resolve("survivor.go"), "");
            }
            Awaitility.await().atMost(RUN).pollInterval(Duration.ofMillis(250)).until(() -> "succeeded".equals(platform.call("GET",
                    second.baseUrl() + "/api/deploy/deployments/" + id, null).expectStatus().isOk().expectBody(DeployPlatform.JSON)
                    .returnResult().getResponseBody().get("status")));
        }
        for (String hostname : all) {
            assertThat(lines(hostname)).as("every step exactly once on " + hostname).containsExactly("one", "two-started", "two", "three");
        }
    }

    private List<String> lines(String hostname) {
        try {
            Path file = platform.sandbox(hostname).resolve("survivor.steps");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aJavaTemplateInstallsTheVersionsPackageAndKeepsThePreviousOne() throws Exception {
        String node = platform.fleetNode("javaapp", 16, 17);
        Path packages = Files.createTempDirectory("deploy-packages");
        for (String version : List.of("1.0.0", "1.1.0")) {
            Files.writeString(packages.resolve("app-" + version + ".jar"), "app " + version + "\n");
        }
        Map<String, Object> body = new HashMap<>(Map.of("name", "release", "nodePath", node, "type", "java",
                "java", Map.of("packageUrl", "file://" + packages + "/app-${version}.jar", "installDir", "~/javaapp",
                        "stopCommand", "rm -f ~/javaapp/running", "startCommand", "cp ~/javaapp/current.jar ~/javaapp/running"),
                "healthCheck", Map.of("command", "grep -q \"$LOKI_VERSION\" ~/javaapp/running", "retries", 1, "intervalSeconds", 1),
                "batch", Map.of("size", 2)));
        long template = ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
        for (String version : List.of("1.0.0", "1.1.0")) {
            long id = ((Number) start(Map.of("templateId", template, "version", version)).get("id")).longValue();
            Map<String, Object> done = awaitStatus(id, "succeeded");
            assertThat(hosts(done)).allSatisfy(h -> assertThat(h.get("step")).isEqualTo(5));
        }
        for (String hostname : List.of("javaapp-16", "javaapp-17")) {
            Path dir = platform.sandbox(hostname).resolve("javaapp");
            assertThat(Files.readString(dir.resolve("current.jar"))).isEqualTo("app 1.1.0\n");
            assertThat(Files.readString(dir.resolve("previous.jar"))).as("kept for a fast rollback").isEqualTo("app 1.0.0\n");
            assertThat(Files.readString(dir.resolve("VERSION")).trim()).isEqualTo("1.1.0");
            assertThat(Files.readString(dir.resolve("running"))).isEqualTo("app 1.1.0\n");
        }
        // a version that has no package: the fetch step fails and says so
        long failing = ((Number) start(Map.of("templateId", template, "version", "9.9.9")).get("id")).longValue();
        Map<String, Object> paused = awaitStatus(failing, "paused");
        assertThat(hosts(paused)).anySatisfy(h -> assertThat(h).containsEntry("status", "failed").containsEntry("stepName", "fetch"));
        platform.call("POST", url("/api/deploy/deployments/" + failing + "/cancel"), null).expectStatus().isOk();
    }

    @Test
    void theEventStreamReplaysEveryChangeAndLineInOrderAndResumesAfterLastEventId() throws Exception {
        String node = platform.fleetNode("watched", 18, 19);
        long template = template(node, List.of(Map.of("name", "say", "command", "echo \"one $LOKI_VERSION\"; echo two")), Map.of("size", 1), Map.of());
        long id;
        List<LokiEvent> published;
        try (EventRecorder recorder = EventRecorder.listen(redis, EventType.DEPLOYMENT_REQUESTED, EventType.DEPLOYMENT_STARTED,
                EventType.DEPLOYMENT_BATCH_FINISHED, EventType.DEPLOYMENT_FINISHED)) {
            id = ((Number) start(Map.of("templateId", template, "version", "5")).get("id")).longValue();
            published = recorder.await(5, RUN);
        }
        // on Redis pub/sub: requested, started, each batch finished, finished
        assertThat(published).extracting(e -> e.getClass().getSimpleName()).containsExactly("DeploymentRequested", "DeploymentStarted",
                "DeploymentBatchFinished", "DeploymentBatchFinished", "DeploymentFinished");
        assertThat(published).allSatisfy(e -> assertThat(e.nodePath()).isEqualTo(node));
        assertThat(((DeploymentFinished) published.getLast()).outcome()).isEqualTo("succeeded");
        assertThat(((DeploymentFinished) published.getLast()).deploymentId()).isEqualTo(id);
        // and each of them, in order, on the stream that alarm-service reads with a consumer group
        EventCodec codec = new EventCodec();
        List<String> streamed = new ReactiveStringRedisTemplate(redis).opsForStream()
                .range(platform.prefix + Streams.DEPLOY_DEPLOYMENTS, Range.unbounded())
                .map(r -> codec.decode(r.getValue().get("event").toString()).orElseThrow())
                .map(LokiEvent::id).filter(eventId -> published.stream().anyMatch(p -> p.id().equals(eventId)))
                .collectList().block(Duration.ofSeconds(10));
        assertThat(streamed).containsExactlyElementsOf(published.stream().map(LokiEvent::id).toList());
        // the history, replayed: the stream ends by itself as the deployment finished, the stream ends by itself when the deployment finishes
        List<ServerSentEvent<Map<String, Object>>> all = events(id, null);
        assertThat(deployment(id).get("status")).isEqualTo("succeeded");
        List<String> seen = all.stream().map(e -> e.event() + ":" + (e.data().get("hostname") == null ? "" : e.data().get("hostname") + ":")
                + (e.event().equals("line") ? e.data().get("text") : e.data().get("status"))).toList();
        for (String host : List.of("watched-18", "watched-19")) {
            assertThat(seen).containsSubsequence("status:running", "status:" + host + ":running", "line:" + host + ":one 5",
                    "line:" + host + ":two", "status:" + host + ":succeeded", "status:succeeded");
        }
        assertThat(seen.getLast()).isEqualTo("status:succeeded");
        // resumed from the middle: exactly what came after
        int middle = all.size() / 2;
        List<ServerSentEvent<Map<String, Object>>> rest = events(id, all.get(middle).id());
        assertThat(rest).extracting(ServerSentEvent::id).containsExactlyElementsOf(all.subList(middle + 1, all.size()).stream().map(ServerSentEvent::id).toList());
        DeployPlatform.client().get().uri(url("/api/deploy/deployments/" + id + "/events")).header("Authorization", "Bearer " + platform.admin())
                .header("Last-Event-ID", "junk").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("Last-Event-ID");
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.data.redis.connection.ReactiveRedisConnectionFactory redis;

    private List<ServerSentEvent<Map<String, Object>>> events(long id, String lastEventId) {
        WebTestClient.RequestHeadersSpec<?> request = DeployPlatform.client().get().uri(url("/api/deploy/deployments/" + id + "/events"))
                .header("Authorization", "Bearer " + platform.admin()).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {
                })
                .getResponseBody().filter(e -> e.event() != null).collectList().block(RUN);
    }

    @Test
    void aRollbackRedeploysTheLastSucceededVersionToTheSameHostsAndCancelsThePausedRun() throws Exception {
        String node = platform.fleetNode("rollback", 20, 21);
        long template = template(node, List.of(Map.of("name", "install", "command",
                "echo \"$LOKI_VERSION\" >> rollback.versions; test \"$LOKI_VERSION\" != broken")), Map.of("size", 1), Map.of());
        long good = ((Number) start(Map.of("templateId", template, "version", "1.0")).get("id")).longValue();
        awaitStatus(good, "succeeded");
        platform.call("POST", url("/api/deploy/deployments/" + good + "/rollback"), null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/nothing-to-roll-back");

        long bad = ((Number) start(Map.of("templateId", template, "version", "broken")).get("id")).longValue();
        Map<String, Object> paused = awaitStatus(bad, "paused");
        Map<String, Object> rollback = platform.call("POST", url("/api/deploy/deployments/" + bad + "/rollback"), null).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
        assertThat(rollback).containsEntry("rollbackOf", (int) bad).containsEntry("version", "1.0").containsEntry("revision", 1);
        assertThat(batches(rollback)).as("the same hosts in the same batches").isEqualTo(batches(paused));
        assertThat(deployment(bad).get("status")).isEqualTo("cancelled");
        long back = ((Number) rollback.get("id")).longValue();
        awaitStatus(back, "succeeded");
        for (String hostname : List.of("rollback-20", "rollback-21")) {
            List<String> versions = Files.readAllLines(platform.sandbox(hostname).resolve("rollback.versions"));
            assertThat(versions.getFirst()).isEqualTo("1.0");
            assertThat(versions.getLast()).as(hostname + " ends on the good version").isEqualTo("1.0");
        }

        // what ran on a host, for alarm-service: newest first, each with the hosts asked about that it touched
        String window = "&since=" + java.time.Instant.now().minusSeconds(600) + "&until=" + java.time.Instant.now();
        Map<String, Object> recent = recent("?hostname=rollback-20&hostname=rollback-21&hostname=rollback-99" + window).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
        List<Map<String, Object>> ran = (List<Map<String, Object>>) recent.get("deployments");
        assertThat(ran).extracting(d -> ((Number) d.get("id")).longValue()).containsExactly(back, bad, good);
        assertThat(ran).allSatisfy(d -> assertThat(d).containsEntry("hosts", 2).containsEntry("nodePath", node).containsEntry("requestedBy", "user:admin"));
        assertThat(ran.get(0).get("touchedHosts")).isEqualTo(List.of("rollback-20", "rollback-21"));
        assertThat(ran.get(2).get("touchedHosts")).isEqualTo(List.of("rollback-20", "rollback-21"));
        assertThat((List<?>) ran.get(1).get("touchedHosts")).as("the broken one paused after its first host").hasSize(1);
        assertThat(ran.getFirst()).containsEntry("rollbackOf", (int) bad).containsEntry("version", "1.0").containsEntry("status", "succeeded");
        assertThat((List<?>) recent("?path=" + node + "/below" + window).expectStatus().isOk().expectBody(DeployPlatform.JSON).returnResult()
                .getResponseBody().get("deployments")).as("a node below the deployment's").hasSize(3);
        assertThat((List<?>) recent("?hostname=rollback-99" + window).expectStatus().isOk().expectBody(DeployPlatform.JSON).returnResult()
                .getResponseBody().get("deployments")).as("a host none ran on").isEmpty();
        assertThat((List<?>) recent("?path=" + node + "&since=" + java.time.Instant.now().plusSeconds(60) + "&until="
                + java.time.Instant.now().plusSeconds(120)).expectStatus().isOk().expectBody(DeployPlatform.JSON).returnResult()
                .getResponseBody().get("deployments")).as("a window after they ran").isEmpty();
        recent("?hostname=rollback-20&since=yesterday&until=" + java.time.Instant.now()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("since");
        recent("?since=" + java.time.Instant.now() + "&until=" + java.time.Instant.now()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("path");
        DeployPlatform.client().get().uri(url(dev.loki.events.InternalApi.RECENT_DEPLOYMENTS + "?hostname=rollback-20" + window))
                .header("Authorization", "Bearer " + platform.admin()).exchange().expectStatus().value(s -> assertThat(s).isIn(401, 403));
    }

    private WebTestClient.ResponseSpec recent(String query) {
        return DeployPlatform.client().get().uri(url(dev.loki.events.InternalApi.RECENT_DEPLOYMENTS + query))
                .header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).exchange();
    }

    @Test
    void startingAndControllingNeedDeployRunAndApprovalComesFromSomeoneElse() {
        String node = platform.fleetNode("guarded", 22, 23);
        Map<String, Object> body = new HashMap<>(Map.of("name", "release", "nodePath", node, "type", "script", "requireApproval", true,
                "steps", List.of(Map.of("name", "noop", "command", "echo approved")), "batch", Map.of("size", 2)));
        long template = ((Number) platform.call("POST", url("/api/deploy/templates"), body).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("id")).longValue();
        for (String user : List.of("approver-1", "onlooker-1")) {
            platform.call("POST", platform.auth.baseUrl() + "/api/auth/users", Map.of("username", user, "password", "password-" + user))
                    .expectStatus().isCreated();
        }
        platform.call("POST", platform.auth.baseUrl() + "/api/auth/grants",
                Map.of("subject", "user:approver-1", "nodePath", node, "privilege", "deploy.run")).expectStatus().isCreated();
        String approver = platform.token("approver-1", "password-approver-1");
        String onlooker = platform.token("onlooker-1", "password-onlooker-1");

        platform.call(onlooker, "POST", url("/api/deploy/deployments"), Map.of("templateId", template, "version", "1")).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> waiting = start(Map.of("templateId", template, "version", "1"));
        long id = ((Number) waiting.get("id")).longValue();
        assertThat(waiting.get("status")).isEqualTo("awaiting-approval");
        platform.call("POST", url("/api/deploy/deployments/" + id + "/approve"), null).expectStatus().isForbidden();
        platform.call(onlooker, "POST", url("/api/deploy/deployments/" + id + "/approve"), null).expectStatus().isForbidden();
        platform.call(onlooker, "POST", url("/api/deploy/deployments/" + id + "/cancel"), null).expectStatus().isForbidden();
        assertThat(deployment(id).get("status")).as("nothing ran").isEqualTo("awaiting-approval");
        assertThat(hosts(deployment(id))).allSatisfy(h -> assertThat(h.get("status")).isEqualTo("pending"));

        platform.call(approver, "POST", url("/api/deploy/deployments/" + id + "/approve"), Map.of("note", "looks right")).expectStatus().isOk();
        awaitStatus(id, "succeeded");
    }

    @Test
    void badInputIsA400NamingTheFieldAndStoresNothing() {
        String node = platform.fleetNode("strict", 12, 12);
        long template = template(node, List.of(Map.of("name", "noop", "command", "true")), Map.of("size", 1), Map.of("known", "x"));
        long before = total();
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("templateId", new Object[] {Map.of("templateId", 987_654, "version", "1")});
        cases.put("version", new Object[] {Map.of("templateId", template, "version", "1 && rm -rf /")});
        cases.put("parameters.unknown", new Object[] {Map.of("templateId", template, "version", "1", "parameters", Map.of("unknown", "v"))});
        cases.put("hosts[0]", new Object[] {Map.of("templateId", template, "version", "1", "hosts", List.of("not-bound-here"))});
        cases.put("hosts", new Object[] {Map.of("templateId", template, "version", "1", "hosts", List.of())});
        cases.forEach((field, body) -> platform.call("POST", url("/api/deploy/deployments"), body[0]).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo(field));
        DeployPlatform.client().post().uri(url("/api/deploy/deployments")).header("Authorization", "Bearer " + platform.admin())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"templateId\": ").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(total()).isEqualTo(before);
    }

    private long total() {
        return ((Number) platform.call("GET", url("/api/deploy/deployments?size=1"), null).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody().get("total")).longValue();
    }
}
