package dev.loki.monitor.rules;

import java.net.URI;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.loki.events.NodePath;
import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.PathChangeHandler;
import reactor.core.publisher.Mono;

/**
 * Alert rules are keyed by node path: they follow their node when ptree-service renames or moves it,
 * and go with it when it is deleted (a node re-created at the path later has no rules). Fed from
 * ptree-service's path-change log by service-support's {@link dev.loki.support.PathChangeFollowing}:
 * in order, each entry once.
 */
@Component
class RulePathChanges implements PathChangeHandler {

    private final RuleRepository rules;
    private final URI ptree;

    RulePathChanges(RuleRepository rules, MonitorProperties monitor) {
        this.rules = rules;
        this.ptree = monitor.ptreeUri();
    }

    @Override
    public URI ptreeUri() {
        return ptree;
    }

    @Override
    public Mono<Void> moved(NodePath from, NodePath to) {
        return rules.movePaths(from.value(), to.value());
    }

    @Override
    public Mono<Void> deleted(NodePath path, Instant at) {
        return rules.deleteSubtree(path.value(), at);
    }
}
