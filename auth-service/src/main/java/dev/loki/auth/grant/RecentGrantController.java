package dev.loki.auth.grant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.InternalApi;
import dev.loki.events.NodePath;
import dev.loki.events.RecentGrants;
import dev.loki.support.Problems;
import dev.loki.support.RequestParams;
import reactor.core.publisher.Mono;

/**
 * Internal, for Loki's services (the internal token; never routed): the grants given or revoked in a window on a
 * node, above or below it — alarm-service's "what changed" before an alarm.
 */
@RestController
class RecentGrantController {

    private final GrantRepository grants;

    RecentGrantController(GrantRepository grants) {
        this.grants = grants;
    }

    @GetMapping(InternalApi.RECENT_GRANTS)
    Mono<RecentGrants> recent(@RequestParam String path, @RequestParam String since, @RequestParam String until) {
        if (!NodePath.isValid(path)) {
            throw Problems.invalid("path", NodePath.MESSAGE);
        }
        RequestParams.Window window = RequestParams.window(since, until);
        return grants.recent(path, window.since(), window.until(), RecentGrants.LIMIT).collectList().map(RecentGrants::new);
    }
}
