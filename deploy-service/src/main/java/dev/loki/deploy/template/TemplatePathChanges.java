package dev.loki.deploy.template;

import java.net.URI;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.loki.deploy.system.DeployProperties;
import dev.loki.events.NodePath;
import dev.loki.support.PathChangeHandler;
import reactor.core.publisher.Mono;

/**
 * Templates are keyed by node path: they follow their node when ptree-service renames or moves it, and
 * go with it when it is deleted (their revisions stay, for the deployments that pinned them). Fed from
 * ptree-service's path-change log by service-support, in order, each entry once.
 */
@Component
class TemplatePathChanges implements PathChangeHandler {

    private final TemplateRepository templates;
    private final URI ptree;

    TemplatePathChanges(TemplateRepository templates, DeployProperties deploy) {
        this.templates = templates;
        this.ptree = deploy.ptreeUri();
    }

    @Override
    public URI ptreeUri() {
        return ptree;
    }

    @Override
    public Mono<Void> moved(NodePath from, NodePath to) {
        return templates.movePaths(from.value(), to.value());
    }

    @Override
    public Mono<Void> deleted(NodePath path, Instant at) {
        return templates.deleteSubtree(path.value(), at);
    }
}
