package dev.loki.events;

/**
 * The names of Loki's service-to-service API ({@code /internal/**}), which every caller and every
 * service must spell alike. Never routed by the gateway.
 */
public final class InternalApi {

    /** The header carrying the platform's internal token; the gateway drops it from clients' requests. */
    public static final String TOKEN_HEADER = "X-Loki-Internal-Token";

    /** ptree-service's path-change log ({@link ChangeLogPage}, {@code ?after=&limit=}). */
    public static final String PATH_CHANGES = "/internal/ptree/path-changes";

    /** auth-service's API-token exchange. */
    public static final String TOKEN_EXCHANGE = "/internal/tokens/exchange";

    /** auth-service's recently ended sessions ({@link EndedSessions}): users disabled or deleted while a JWT of theirs may live. */
    public static final String ENDED_SESSIONS = "/internal/auth/ended-sessions";

    /**
     * monitor-service's availability of a node over a window, one figure
     * ({@code ?path=&start=&end=}, epoch ms → {@code {path, startMs, endMs, availability, requests}}).
     */
    public static final String NODE_AVAILABILITY = "/internal/monitor/availability";

    /**
     * ptree-service's drain: {@code PUT {path, hostname, offline}} sets {@code offline} on every binding of
     * the host at {@code path} and below → the host's bindings there, as they are now.
     */
    public static final String DRAIN = "/internal/ptree/drain";

    /** asset-service's statuses of some servers ({@code ?hostname=a&hostname=b} → {@code {a: online, b: maintenance}}, at most 500). */
    public static final String SERVER_STATUSES = "/internal/asset/server-statuses";

    /**
     * deploy-service's deployments that ran in a window ({@link RecentDeployments}; {@code ?path=&hostname=a&hostname=b&since=&until=},
     * ISO-8601 instants; a path, some hostnames or both).
     */
    public static final String RECENT_DEPLOYMENTS = "/internal/deploy/recent-deployments";

    /**
     * ptree-service's tree edits and binding changes in a window ({@link RecentTreeChanges}; {@code ?path=&hostname=a&since=&until=},
     * ISO-8601 instants; a path, some hostnames or both).
     */
    public static final String RECENT_TREE_CHANGES = "/internal/ptree/recent-changes";

    /** auth-service's grants given or revoked in a window on a node ({@link RecentGrants}; {@code ?path=&since=&until=}). */
    public static final String RECENT_GRANTS = "/internal/auth/recent-grants";

    private InternalApi() {
    }
}
