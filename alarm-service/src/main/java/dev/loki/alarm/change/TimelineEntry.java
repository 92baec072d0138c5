package dev.loki.alarm.change;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing that happened under a node or on a host, as a timeline and an alarm's "what changed" show it.
 *
 * @param kind {@code alarm}, {@code deployment}, {@code tree} (a node created, renamed, moved or deleted),
 *             {@code binding} (a server bound, unbound, or its traffic ratio or offline flag changed) or
 *             {@code grant} (a privilege granted or revoked)
 * @param change for tree, binding and grant entries, what happened: {@code create}, {@code rename}, {@code move},
 *               {@code delete}; {@code bound}, {@code unbound}, {@code binding}; {@code granted}, {@code revoked}
 * @param at when it happened: an alarm first fired, a deployment started, a change was applied
 * @param actor who did it; none for an alarm
 * @param summary one line for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEntry(Instant at, String kind, String change, String nodePath, String hostname, String actor, String summary,
                            AlarmRef alarm, DeploymentRef deployment) {

    public static final String ALARM = "alarm";
    public static final String DEPLOYMENT = "deployment";
    public static final String TREE = "tree";
    public static final String BINDING = "binding";
    public static final String GRANT = "grant";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlarmRef(long id, String title, String severity, String status, Instant resolvedAt) {
    }

    /** @param touchedHosts the hosts asked about that it ran on */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeploymentRef(long id, long templateId, String version, String status, Instant finishedAt, Long rollbackOf, int hosts,
                                List<String> touchedHosts) {
    }
}
