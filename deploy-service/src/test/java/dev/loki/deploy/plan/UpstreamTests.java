package dev.loki.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.loki.deploy.platform.PlatformClient;

/** The rules of an nginx template's upstream block, one server line per case. */
class UpstreamTests {

    private static String line(Upstream.Member member, Upstream.Member other) {
        String block = Upstream.render("app", 8080, "/web", List.of(member, other));
        return block.lines().filter(l -> l.contains("# " + member.hostname())).findFirst().orElseThrow().strip();
    }

    @ParameterizedTest(name = "ratio {0}, offline {1}, status {2}, the other at {3} → {4}")
    @CsvSource(delimiter = '|', value = {
            "0.6 | false | online      | 0.4 | server 10.0.0.1:8080 weight=60;  # a",
            "0.004 | false | online    | 0.4 | server 10.0.0.1:8080 weight=1;  # a",
            "0.0 | false | online      | 0.4 | server 10.0.0.1:8080 down;  # a",
            "0.0 | false | online      | 0.0 | server 10.0.0.1:8080;  # a",
            "0.5 | true  | online      | 0.5 | server 10.0.0.1:8080 down;  # a",
            "0.5 | false | maintenance | 0.5 | server 10.0.0.1:8080 down;  # a",
            "0.5 | false |             | 0.5 | server 10.0.0.1:8080 down;  # a"})
    void aServersLine(double ratio, boolean offline, String status, double other, String expected) {
        assertThat(line(new Upstream.Member("a", "10.0.0.1", ratio, offline, status), new Upstream.Member("b", "10.0.0.2", other, false, "online")))
                .isEqualTo(expected);
    }

    @Test
    void bindingsOfOneServerAreSummedAndAnyDrainedOneTakesItOut() {
        List<PlatformClient.Binding> bindings = List.of(new PlatformClient.Binding("a", 0.2, false, 1, "/web/x"),
                new PlatformClient.Binding("a", 0.3, false, 2, "/web/y"), new PlatformClient.Binding("b", 0.5, false, 1, "/web/x"),
                new PlatformClient.Binding("b", 0.0, true, 2, "/web/y"));
        Map<String, PlatformClient.Server> servers = Map.of("a", new PlatformClient.Server("a", "dc", "online", List.of("fd00::1")),
                "b", new PlatformClient.Server("b", "dc", "online", List.of("10.0.0.2")));
        assertThat(Upstream.render("app", 80, "/web", Upstream.members(bindings, servers))).isEqualTo("""
                # rendered by Loki from the servers of /web
                upstream app {
                    server [fd00::1]:80 weight=50;  # a
                    server 10.0.0.2:80 down;  # b
                }
                """);
    }

    @Test
    void anUpstreamWithoutServersIsNoPlan() {
        assertThatThrownBy(() -> Upstream.render("app", 80, "/web", List.of())).isInstanceOf(PlanImpossible.class)
                .satisfies(e -> assertThat(((PlanImpossible) e).getBody().getDetail()).contains("/web has none bound"));
    }
}
