package dev.loki.deploy.run;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Hostname;
import dev.loki.events.InternalApi;
import dev.loki.events.NodePath;
import dev.loki.events.RecentDeployments;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Internal, for Loki's services (the internal token; never routed): the deployments that ran in a window on a
 * node or on some hosts — alarm-service's "what changed" before an alarm, and the deployment it rolls back.
 */
@RestController
class RecentDeploymentController {

    /** Hostnames one call may ask about. */
    static final int MAX_HOSTNAMES = 100;

    private final DeploymentRepository deployments;

    RecentDeploymentController(DeploymentRepository deployments) {
        this.deployments = deployments;
    }

    @GetMapping(InternalApi.RECENT_DEPLOYMENTS)
    Mono<RecentDeployments> recent(@RequestParam(required = false) String path, @RequestParam(name = "hostname", required = false) List<String> hostnames,
                                   @RequestParam String since, @RequestParam String until) {
        List<String> hosts = hostnames == null ? List.of() : List.copyOf(hostnames);
        if (path != null && !NodePath.isValid(path)) {
            throw Problems.invalid("path", NodePath.MESSAGE);
        }
        if (hosts.size() > MAX_HOSTNAMES) {
            throw Problems.invalid("hostname", "at most " + MAX_HOSTNAMES + " per call");
        }
        hosts.stream().filter(h -> !Hostname.isValid(h)).findFirst().ifPresent(h -> {
            throw Problems.invalid("hostname", Hostname.MESSAGE);
        });
        if (path == null && hosts.isEmpty()) {
            throw Problems.invalid("path", "a node path, some hostnames or both");
        }
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (to.isBefore(from)) {
            throw Problems.invalid("until", "not before since");
        }
        return deployments.recent(path, hosts, from, to, RecentDeployments.LIMIT).map(RecentDeployments::new);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalid(field, "an ISO-8601 instant, such as 2026-12-04T10:15:30Z");
        }
    }
}
