package dev.loki.support;

import java.net.URI;
import java.time.Instant;

import dev.loki.events.NodePath;
import reactor.core.publisher.Mono;

/**
 * What a service keeps keyed by tree path (grants, petitions, alert rules) does when ptree-service
 * renames, moves or deletes a node. A bean of this type makes service-support follow ptree-service's
 * path-change log for the service ({@link PathChangeFollowing}): in order, each entry once, inside the
 * transaction that advances the service's position. Both methods run in that transaction; entries that
 * name no movable tree paths never reach them.
 */
public interface PathChangeHandler {

    /** ptree-service's base URI. */
    URI ptreeUri();

    /** The subtree at {@code from} is now at {@code to} (a rename or a move). */
    Mono<Void> moved(NodePath from, NodePath to);

    /** The node at {@code path} was deleted at {@code at} (it had no children). */
    Mono<Void> deleted(NodePath path, Instant at);
}
