package dev.loki.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.testsupport.PausableRedis;
import dev.loki.testsupport.ServiceJar;

/**
 * Issue 11, item 19: with Redis hanging (a paused redis-server of this test's own), the gateway and
 * auth-service still answer within 5 s — the rate limiter fails open, nothing waits for Lettuce's
 * default 60 s — and everything works again once Redis answers, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRedisFaultIntegrationTests {

    @TempDir
    static Path keys;

    static PausableRedis redis;
    static ServiceJar auth;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        redis = PausableRedis.start();
        Map<String, String> extra = new HashMap<>(redis.environment());
        auth = ServiceJar.auth("gwfault", "gwfault:", "fault-admin-1", keys, extra);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", redis::port);
        registry.add("LOKI_AUTH_URI", auth::baseUrl);
        registry.add("LOKI_JWKS_URI", () -> auth.baseUrl() + "/api/auth/jwks");
        registry.add("LOKI_ASSET_URI", () -> "http://127.0.0.1:1");
        // a service that is not running: port 1 is never listened on nor handed out (a "free" port could be taken later)
        registry.add("LOKI_PTREE_URI", () -> "http://127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        auth.close();
        redis.close();
    }

    @LocalServerPort
    int port;

    @Test
    void item19_aHangingRedisCostsSecondsNotMinutesAndRecoveryNeedsNoRestart() {
        // the bound under test: an answer within 5 s, whatever it is
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(5)).build();
        String admin = http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", "fault-admin-1")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();

        redis.pause();
        try {
            // the rate limiter cannot ask Redis: it lets the call through; /me needs no Redis
            http.get().uri("/api/auth/me").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
            http.get().uri("/api/auth/jwks").exchange().expectStatus().isOk();
            // a login needs Redis (throttling): a clean 503 problem, in time
            http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "admin", "password", "fault-admin-1")).exchange()
                    .expectStatus().isEqualTo(503).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        } finally {
            redis.resume();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> http.post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("username", "admin", "password", "fault-admin-1")).exchange()
                .expectStatus().isOk());
        http.get().uri("/api/auth/me").header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
    }
}
