package dev.loki.deploy;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The base of deploy-service's tests against {@link DeployPlatform}: one Spring context for all of them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class DeployIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        DeployPlatform.register(registry);
    }

    @LocalServerPort
    protected int port;

    protected final DeployPlatform platform = DeployPlatform.get();

    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** How long a test deployment may take to reach a status. */
    protected static final Duration RUN = Duration.ofSeconds(60);

    protected Map<String, Object> start(Map<String, Object> request) {
        return platform.call("POST", url("/api/deploy/deployments"), request).expectStatus().isCreated()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
    }

    protected Map<String, Object> deployment(long id) {
        return platform.call("GET", url("/api/deploy/deployments/" + id), null).expectStatus().isOk()
                .expectBody(DeployPlatform.JSON).returnResult().getResponseBody();
    }

    protected Map<String, Object> awaitStatus(long id, String status) {
        // asserted, so that a timeout shows where the deployment stood
        Awaitility.await().atMost(RUN).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(deployment(id)).containsEntry("status", status));
        return deployment(id);
    }
}
