package dev.loki.deploy.run;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.InternalApi;
import dev.loki.events.RecentDeployments;
import dev.loki.support.RequestParams;
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
        RequestParams.Recent asked = RequestParams.recent(path, hostnames, since, until, MAX_HOSTNAMES);
        return deployments.recent(asked.path(), asked.hostnames(), asked.window().since(), asked.window().until(), RecentDeployments.LIMIT)
                .map(RecentDeployments::new);
    }
}
