package dev.loki.auth.grant;

import java.net.URI;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.loki.auth.system.AuthProperties;
import dev.loki.events.NodePath;
import dev.loki.support.PathChangeHandler;
import reactor.core.publisher.Mono;

/**
 * Grants and petitions are keyed by node path; when ptree-service renames or moves a node, they
 * follow it, and when it deletes one they go with it (a node re-created at the same path later starts
 * with no privileges). Fed from ptree-service's path-change log by service-support's
 * {@link dev.loki.support.PathChangeFollowing}: in order, each entry once.
 */
@Component
class GrantPathChanges implements PathChangeHandler {

    private final GrantRepository grants;
    private final URI ptree;

    GrantPathChanges(GrantRepository grants, AuthProperties auth) {
        this.grants = grants;
        this.ptree = auth.ptreeUri();
    }

    @Override
    public URI ptreeUri() {
        return ptree;
    }

    @Override
    public Mono<Void> moved(NodePath from, NodePath to) {
        return grants.movePaths(from.value(), to.value());
    }

    @Override
    public Mono<Void> deleted(NodePath path, Instant at) {
        return grants.deleteSubtree(path.value(), at);
    }
}
