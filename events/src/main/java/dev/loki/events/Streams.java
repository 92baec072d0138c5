package dev.loki.events;

/**
 * Redis Streams for events whose consumers must not miss one (pub/sub is at-most-once). Each key
 * is prefixed with the deployment's Redis key prefix ({@code loki.redis.key-prefix}, default
 * {@code loki:}). Consumers read with a consumer group named after themselves and acknowledge.
 */
public final class Streams {

    /** {@link NodeRenamed} and {@link NodeMoved}: grants keyed by path must follow them. */
    public static final String PTREE_PATH_CHANGES = "ptree.path-changes";

    /**
     * {@link ServerDeleted} and {@link ServerStatusChanged} to {@code offline}: a retired server's
     * bindings in the service tree must go.
     */
    public static final String ASSET_SERVER_RETIREMENTS = "asset.server-retirements";

    /**
     * Every deploy-service event ({@code deployment-*}): alarm-service mutes the hosts of a running batch
     * and shows what changed before an alert. A wake-up stream: if Redis fails at that moment the change
     * stays in the deployment's own history ({@code GET /api/deploy/deployments/{id}/events}).
     */
    public static final String DEPLOY_DEPLOYMENTS = "deploy.deployments";

    /**
     * {@link AlertFired} and {@link AlertResolved}: alarm-service turns them into alarms. monitor-service
     * appends an alert here before it records the series as firing (or cleared), so a crash in between
     * makes the next evaluation append it again rather than lose it; alarm-service's intake is idempotent.
     */
    public static final String MONITOR_ALERTS = "monitor.alerts";

    private Streams() {
    }
}
