package dev.loki.events;

/**
 * Redis Streams for events whose consumers must not miss one (pub/sub is at-most-once). Each key
 * is prefixed with the deployment's Redis key prefix ({@code loki.redis.key-prefix}, default
 * {@code loki:}). Consumers read with a consumer group named after themselves and acknowledge.
 */
public final class Streams {

    /** {@link NodeRenamed} and {@link NodeMoved}: grants keyed by path must follow them. */
    public static final String PTREE_PATH_CHANGES = "ptree.path-changes";

    private Streams() {
    }
}
