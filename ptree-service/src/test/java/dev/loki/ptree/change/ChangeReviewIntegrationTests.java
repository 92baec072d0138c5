package dev.loki.ptree.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.StatusAssertions;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.ChangeProposed;
import dev.loki.events.EventType;
import dev.loki.ptree.PtreeTestBase;
import dev.loki.testsupport.EventRecorder;

/**
 * Change review: direct changes by holders of node.manage, pending proposals by anyone else, approve,
 * reject, revert, impact of a pending move, the history following renames.
 */
class ChangeReviewIntegrationTests extends PtreeTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Test
    void changesWithoutNodeManageWaitForApprovalAndCanBeReverted() throws InterruptedException {
        create("/", "review");
        create("/review", "find");
        long webApi = create("/review/find", "web-api");
        create("/review", "elsewhere");
        String owner = user("owner", "/review/find", "node.manage");
        String guest = user("guest", null, null);

        // node.manage on /review/find: a direct change, recorded as applied
        patch(owner, webApi, Map.of("name", "web")).expectStatus().isOk().expectBody().jsonPath("$.path").isEqualTo("/review/find/web");
        Map<String, Object> direct = changes(admin, "?nodePath=/review/find/web&status=applied").get(0);
        assertThat(direct).containsEntry("kind", "rename").containsEntry("actor", "user:owner").containsEntry("nodePath", "/review/find/web");
        assertThat((Map<String, Object>) direct.get("before")).containsEntry("path", "/review/find/web-api");

        // no grant: the rename waits as pending; the tree does not change
        EventRecorder proposed = EventRecorder.listen(redis, EventType.CHANGE_PROPOSED);
        Map<String, Object> pending = patch(guest, webApi, Map.of("name", "api", "reason", "shorter")).expectStatus().isAccepted()
                .expectHeader().valueMatches("Location", "/api/ptree/changes/\\d+")
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(pending).containsEntry("status", "pending").containsEntry("kind", "rename").containsEntry("actor", "user:guest")
                .containsEntry("reason", "shorter");
        assertThat(((ChangeProposed) proposed.await(1, Duration.ofSeconds(5)).get(0)).changeId())
                .isEqualTo(((Number) pending.get("id")).longValue());
        proposed.close();
        node("/review/find/web").isOk();
        node("/review/find/api").isNotFound();

        // the proposer cannot approve it; an owner can, and then it applies
        decide(guest, pending, "approve").expectStatus().isForbidden();
        Map<String, Object> approved = decide(owner, pending, "approve").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(approved).containsEntry("status", "applied").containsEntry("decidedBy", "user:owner");
        node("/review/find/api").isOk();
        decide(owner, pending, "approve").expectStatus().isEqualTo(409);

        // revert restores the tree, and the undo is recorded too
        Map<String, Object> reverted = decide(owner, pending, "revert").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(reverted).containsEntry("status", "reverted").containsEntry("revertedBy", "user:owner");
        node("/review/find/web").isOk();
        node("/review/find/api").isNotFound();
        assertThat(changes(admin, "?nodePath=/review/find/web")).anySatisfy(c -> assertThat(((Number) c.get("revertOf")).longValue())
                .isEqualTo(((Number) pending.get("id")).longValue()));

        // a proposed move shows its impact; the owner lacks node.manage on the target, so may only reject it
        create("/review/find/web", "child");
        bindUrl(webApi);
        Map<String, Object> move = patch(guest, webApi, Map.of("parentPath", "/review/elsewhere")).expectStatus().isAccepted()
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat((Map<String, Object>) move.get("impact")).containsEntry("subNodes", 1).containsEntry("urls", 1).containsEntry("servers", 0);
        decide(owner, move, "approve").expectStatus().isForbidden();
        assertThat(decide(owner, move, "reject").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody())
                .containsEntry("status", "rejected");
        decide(admin, move, "approve").expectStatus().isEqualTo(409);
        node("/review/find/web/child").isOk();
    }

    @Test
    void proposedCreatesAndDeletesApplyOnApprovalAndDeletesRevertUnderTheSameId() {
        create("/", "proposals");
        String lead = user("plead", "/proposals", "node.manage");
        String dev = user("pdev", null, null);

        Map<String, Object> create = post(dev, "/proposals", "new-svc").expectStatus().isAccepted().expectBody(JSON).returnResult().getResponseBody();
        assertThat(create).containsEntry("nodePath", "/proposals/new-svc").doesNotContainKey("nodeId");
        node("/proposals/new-svc").isNotFound();
        Map<String, Object> applied = decide(lead, create, "approve").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        long id = ((Number) applied.get("nodeId")).longValue();
        assertThat(idOf("/proposals/new-svc")).isEqualTo(id);

        // a delete proposed by someone else waits; the lead deletes directly and reverts it: same id back
        http.delete().uri("/api/ptree/nodes/" + id).header("Authorization", "Bearer " + dev).exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.kind").isEqualTo("delete").jsonPath("$.impact.subNodes").isEqualTo(0);
        node("/proposals/new-svc").isOk();
        http.delete().uri("/api/ptree/nodes/" + id).header("Authorization", "Bearer " + lead).exchange().expectStatus().isNoContent();
        Map<String, Object> deleted = changes(lead, "?nodePath=/proposals/new-svc&status=applied").stream()
                .filter(c -> c.get("kind").equals("delete")).findFirst().orElseThrow();
        decide(lead, deleted, "revert").expectStatus().isOk();
        assertThat(idOf("/proposals/new-svc")).isEqualTo(id);

        http.get().uri("/api/ptree/changes?status=bogus").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("status");
        http.get().uri("/api/ptree/changes/999999").header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();
        http.get().uri("/api/ptree/changes").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void item7_aForbiddenApprovalOrRevertChangesNothingNotEvenForAMoment() {
        create("/", "claims");
        long target = create("/claims", "svc");
        String owner = user("cowner", "/claims", "node.manage");
        for (int round = 0; round < 5; round++) {
            // a fresh outsider each round, so their permission check really goes to auth-service
            String outsider = user("outsider" + round, null, null);
            Map<String, Object> pending = patch(outsider, target, Map.of("name", "svc" + round)).expectStatus().isAccepted()
                    .expectBody(JSON).returnResult().getResponseBody();
            java.util.concurrent.CompletableFuture<Integer> forbidden = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    client("http://127.0.0.1:" + port).post().uri("/api/ptree/changes/" + pending.get("id") + "/approve")
                            .header("Authorization", "Bearer " + outsider).exchange().returnResult(String.class).getStatus().value());
            List<Object> seen = new java.util.ArrayList<>();
            while (!forbidden.isDone()) {
                seen.add(http.get().uri("/api/ptree/changes/" + pending.get("id")).header("Authorization", "Bearer " + admin).exchange()
                        .expectBody(JSON).returnResult().getResponseBody().get("status"));
            }
            assertThat(forbidden.join()).isEqualTo(403);
            assertThat(seen).as("round %d: the change's status while a forbidden approval ran", round).containsOnly("pending");
            // the owner's approval is not told "decided meanwhile"
            decide(owner, pending, "approve").expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("applied");
            decide(outsider, pending, "revert").expectStatus().isForbidden();
            http.get().uri("/api/ptree/changes/" + pending.get("id")).header("Authorization", "Bearer " + admin).exchange()
                    .expectBody().jsonPath("$.status").isEqualTo("applied");
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.r2dbc.core.DatabaseClient db;

    @org.springframework.beans.factory.annotation.Autowired
    ChangeService sweeper;

    @Test
    void item20_aChangeLeftMidWayByACrashIsFinishedOrRolledBack() {
        create("/", "swept");
        long a = create("/swept", "a");
        long b = create("/swept", "b");
        String guest = user("sweepguest", null, null);
        Map<String, Object> notDone = patch(guest, a, Map.of("name", "a2")).expectStatus().isAccepted()
                .expectBody(JSON).returnResult().getResponseBody();
        Map<String, Object> done = patch(guest, b, Map.of("name", "b2")).expectStatus().isAccepted()
                .expectBody(JSON).returnResult().getResponseBody();
        // as if an approver's replica died: one after claiming only, one after the tree change too
        patch(admin, b, Map.of("name", "b2")).expectStatus().isOk();
        for (Object id : List.of(notDone.get("id"), done.get("id"))) {
            db.sql("UPDATE changes SET status = 'applying', status_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR, claimed_by = 'user:admin' "
                    + "WHERE id = :id").bind("id", ((Number) id).longValue()).then().block(Duration.ofSeconds(5));
        }
        // and an applied change whose revert died before touching the tree
        Map<String, Object> applied = changes(admin, "?nodePath=/swept/b2&status=applied").get(0);
        db.sql("UPDATE changes SET status = 'reverting', status_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR WHERE id = :id")
                .bind("id", ((Number) applied.get("id")).longValue()).then().block(Duration.ofSeconds(5));

        // what ChangeSweeper runs every loki.ptree.sweep-interval, with its cutoff (now - stuck-after)
        assertThat(sweeper.sweep(java.time.Instant.now().minus(Duration.ofMinutes(2))).block(Duration.ofSeconds(20))).isEqualTo(3);
        assertThat(status(notDone)).isEqualTo("pending");
        assertThat(status(done)).isEqualTo("applied");
        assertThat(status(applied)).isEqualTo("applied");
        // nothing is left for a second sweep
        assertThat(sweeper.sweep(java.time.Instant.now().minus(Duration.ofMinutes(2))).block(Duration.ofSeconds(20))).isZero();
        node("/swept/a").isOk();
        node("/swept/b2").isOk();
        http.get().uri("/api/ptree/changes/" + done.get("id")).header("Authorization", "Bearer " + admin).exchange()
                .expectBody().jsonPath("$.decidedBy").isEqualTo("user:admin");
        // the rolled-back one can be decided normally again
        decide(admin, notDone, "approve").expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("applied");
        node("/swept/a2").isOk();
    }

    private Object status(Map<String, Object> change) {
        return http.get().uri("/api/ptree/changes/" + change.get("id")).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody().get("status");
    }

    // ------------------------------------------------------------------ helpers

    private WebTestClient.ResponseSpec patch(String token, long id, Map<String, Object> body) {
        return http.patch().uri("/api/ptree/nodes/" + id).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec decide(String token, Map<String, Object> change, String action) {
        return http.post().uri("/api/ptree/changes/" + change.get("id") + "/" + action).header("Authorization", "Bearer " + token).exchange();
    }

    private StatusAssertions node(String path) {
        return http.get().uri("/api/ptree/nodes?path=" + path).header("Authorization", "Bearer " + admin).exchange().expectStatus();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> changes(String token, String query) {
        Map<String, Object> page = http.get().uri("/api/ptree/changes" + query).header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }

    private void bindUrl(long nodeId) {
        http.post().uri("/api/ptree/nodes/" + nodeId + "/urls").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("domain", "review.example.com", "path", "/"))
                .exchange().expectStatus().isCreated();
    }
}
