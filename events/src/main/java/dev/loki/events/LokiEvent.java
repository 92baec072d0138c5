package dev.loki.events;

import java.time.Instant;

/**
 * Something that happened in Loki, published on Redis for other services to react to.
 *
 * <p>Every event is an immutable, past-tense record. Its wire form is a JSON object carrying
 * {@code id}, {@code type}, {@code occurredAt}, {@code source} and, where the event concerns a node
 * of the service tree, {@code nodePath}, plus the record's own fields (see {@link EventCodec}).
 * Changes are additive: a new field is optional for consumers, a breaking change is a new type.
 */
public sealed interface LokiEvent
        permits UserCreated, UserUpdated, UserDeleted, ApiTokenCreated, ApiTokenRevoked,
                GrantCreated, GrantRevoked, PetitionFiled, PetitionDecided,
                ServerCreated, ServerUpdated, ServerStatusChanged, ServerDeleted,
                NodeCreated, NodeRenamed, NodeMoved, NodeDeleted, ServerBound, ServerUnbound,
                UrlBound, UrlUnbound, ChangeProposed, ChangeDecided, AlertFired, AlertResolved,
                DeploymentRequested, DeploymentStarted, DeploymentPaused, DeploymentResumed, DeploymentBatchFinished,
                DeploymentHostFailed, DeploymentGateFailed, DeploymentFinished, AlarmRaised, AlarmAcknowledged, AlarmResolved {

    /** Unique id of this occurrence (a UUID string); consumers use it to drop duplicates. */
    String id();

    /** When it happened, UTC. */
    Instant occurredAt();

    /** The service that published it, e.g. {@code auth-service}. */
    String source();

    /** The service-tree path the event concerns, or {@code null} when it concerns none. */
    default String nodePath() {
        return null;
    }

    /** The wire name of this event's type, e.g. {@code grant-created}. */
    default String type() {
        return EventType.of(getClass()).wireName();
    }

    /** The Redis channel this event is published on, e.g. {@code loki.auth.grant-created}. */
    default String channel() {
        return EventType.of(getClass()).channel();
    }
}
