package dev.loki.events;

/**
 * The mutes deploy-service holds on the hosts of a running batch, in Redis, so that alarm-service records
 * their alarms but does not send them: one key per host, {@code <prefix>alarm:mute:<hostname>}, whose value
 * is a {@link Mute} as JSON and whose time to live is {@link #TTL_SECONDS}. The driver of the batch writes
 * them again every {@link #RENEW_SECONDS} while the batch's hosts run; when the batch is done, or
 * deploy-service dies, the keys lapse by themselves within the time to live — the grace period after which
 * what still fires is notified, naming the deployment.
 */
public final class DeployMutes {

    public static final int TTL_SECONDS = 20;
    public static final int RENEW_SECONDS = 5;

    private DeployMutes() {
    }

    /** The key of {@code hostname}'s mute under the deployment's Redis key prefix. */
    public static String key(String prefix, String hostname) {
        return prefix + "alarm:mute:" + hostname;
    }

    /**
     * @param nodePath the template's node
     * @param batch the batch running on the host (from 0)
     */
    public record Mute(long deploymentId, long templateId, String version, String nodePath, int batch) {
    }
}
