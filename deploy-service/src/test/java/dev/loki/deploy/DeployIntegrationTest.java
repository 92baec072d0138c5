package dev.loki.deploy;

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
        return "http://localhost:" + port + path;
    }
}
