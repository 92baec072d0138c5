package dev.loki.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names every part of Loki derives from one entry of the service list. */
class LokiServiceTests {

    @ParameterizedTest(name = "{0}: /api/{1}/**, {2}_*, port {3}")
    @CsvSource({
            "auth-service,    auth,    LOKI_AUTH,    8081",
            "ptree-service,   ptree,   LOKI_PTREE,   8083",
            "deploy-service,  deploy,  LOKI_DEPLOY,  8084",
            "gateway,         gateway, LOKI_GATEWAY, 8080",
    })
    void namesFollowFromTheModule(String module, String route, String environmentKey, int port) {
        LokiService service = LokiService.byModule(module).orElseThrow();
        assertThat(service.route()).isEqualTo(route);
        assertThat(service.environmentKey()).isEqualTo(environmentKey);
        assertThat(service.defaultPort()).isEqualTo(port);
    }

    @Test
    void theGatewayIsNoBackendAndNoTwoServicesShareAPortOrARoute() {
        assertThat(LokiService.backends()).doesNotContain(LokiService.GATEWAY).hasSize(LokiService.values().length - 1);
        assertThat(Arrays.stream(LokiService.values()).map(LokiService::defaultPort).distinct()).hasSize(LokiService.values().length);
        assertThat(Arrays.stream(LokiService.values()).map(LokiService::route).distinct()).hasSize(LokiService.values().length);
        assertThat(LokiService.byModule("no-such-service")).isEmpty();
    }
}
