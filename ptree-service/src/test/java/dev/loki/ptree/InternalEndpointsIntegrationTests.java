package dev.loki.ptree;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.loki.testsupport.TestInfrastructure;

/**
 * Issue 11, item 10: {@code /internal/**} answers only Loki's own services (the internal token), and
 * actuator — metrics included — is not on the port callers use; the probes are.
 */
class InternalEndpointsIntegrationTests extends PtreeTestBase {

    @Test
    void item10_internalEndpointsRefuseCallersWithoutTheInternalToken() {
        for (String path : new String[] {"/internal/ptree/path-changes?after=0", "/internal/ptree/scope?path=/"}) {
            http.get().uri(path).exchange().expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            http.get().uri(path).header(dev.loki.events.InternalApi.TOKEN_HEADER, "guessed").exchange().expectStatus().isUnauthorized();
            // a user's token is no internal token, not even the admin's
            http.get().uri(path).header("Authorization", "Bearer " + admin).exchange().expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            http.get().uri(path).header(dev.loki.events.InternalApi.TOKEN_HEADER, TestInfrastructure.INTERNAL_TOKEN).exchange().expectStatus().isOk();
        }
    }

    @Test
    void item10_theDrainRefusesCallersWithoutTheInternalToken() {
        java.util.Map<String, Object> body = java.util.Map.of("path", "/", "hostname", "nobody-bound", "offline", true);
        http.put().uri(dev.loki.events.InternalApi.DRAIN).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isUnauthorized();
        http.put().uri(dev.loki.events.InternalApi.DRAIN).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isForbidden();
        // a host bound nowhere there: nothing changes, nothing to show
        http.put().uri(dev.loki.events.InternalApi.DRAIN).header(dev.loki.events.InternalApi.TOKEN_HEADER, TestInfrastructure.INTERNAL_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk().expectBody().json("[]");
        http.put().uri(dev.loki.events.InternalApi.DRAIN).header(dev.loki.events.InternalApi.TOKEN_HEADER, TestInfrastructure.INTERNAL_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(java.util.Map.of("path", "no-slash", "hostname", "x", "offline", true))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("path");
        http.put().uri(dev.loki.events.InternalApi.DRAIN).header(dev.loki.events.InternalApi.TOKEN_HEADER, TestInfrastructure.INTERNAL_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(java.util.Map.of("path", "/", "hostname", "x"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("offline");
    }

    /** On a service started as it runs in production (auth-service's jar, told its management port). */
    @Test
    void item10_metricsAreServedOnlyOnTheManagementPort() {
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
        http.get().uri("/readyz").exchange().expectStatus().isOk();
        authApi.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
        authApi.get().uri("/livez").exchange().expectStatus().isOk();
        client("http://127.0.0.1:" + authManagementPort).get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> org.assertj.core.api.Assertions.assertThat(body).contains("jvm_memory_used_bytes"));
    }
}
