package dev.loki.asset.server;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Hostname;
import dev.loki.events.InternalApi;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Internal, for Loki's services (the internal token; never routed): the lifecycle status of some servers
 * at once — alarm-service never pages for a server in {@code maintenance} or {@code pool}.
 */
@RestController
class ServerStatusController {

    /** Hostnames one call may ask about. */
    static final int MAX_HOSTNAMES = 500;

    private final ServerRepository servers;

    ServerStatusController(ServerRepository servers) {
        this.servers = servers;
    }

    /** {@code ?hostname=a&hostname=b} → {@code {a: online, b: maintenance}}; a hostname that is no server is left out. */
    @GetMapping(InternalApi.SERVER_STATUSES)
    Mono<Map<String, String>> statuses(@RequestParam(name = "hostname", required = false) List<String> hostnames) {
        List<String> asked = hostnames == null ? List.of() : hostnames;
        if (asked.size() > MAX_HOSTNAMES) {
            throw Problems.invalid("hostname", "at most " + MAX_HOSTNAMES + " per call");
        }
        for (String hostname : asked) {
            if (!Hostname.isValid(hostname)) {
                throw Problems.invalid("hostname", Hostname.MESSAGE);
            }
        }
        return servers.statuses(asked);
    }
}
