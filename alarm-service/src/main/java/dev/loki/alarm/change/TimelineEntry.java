package dev.loki.alarm.change;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing that happened under a node or on a host, as a timeline and an alarm's "what changed" show it.
 *
 * @param kind {@code alarm} or {@code deployment}
 * @param at when it began: an alarm first fired, a deployment started
 * @param actor who did it (a deployment's requester); none for an alarm
 * @param summary one line for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEntry(Instant at, String kind, String nodePath, String hostname, String actor, String summary, AlarmRef alarm,
                            DeploymentRef deployment) {

    public static final String ALARM = "alarm";
    public static final String DEPLOYMENT = "deployment";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlarmRef(long id, String title, String severity, String status, Instant resolvedAt) {
    }

    /** @param touchedHosts the hosts asked about that it ran on */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeploymentRef(long id, long templateId, String version, String status, Instant finishedAt, Long rollbackOf, int hosts,
                                List<String> touchedHosts) {
    }
}
