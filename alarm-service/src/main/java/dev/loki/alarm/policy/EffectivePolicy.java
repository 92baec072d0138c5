package dev.loki.alarm.policy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.loki.alarm.silence.Silence;

/**
 * What decides the notifications of alarms on {@code nodePath}, and where each rule of it comes from
 * ({@code GET /api/alarm/policy?nodePath=}): the silences on it or above (with whether each is on now),
 * the subscriptions on it or above (with their channels), and the open node-level alarms on it or above
 * that hold back its host alarms; and monitor-service's alert rules on it or above, which raise its alarms
 * ({@code unavailable} names monitor-service when they could not be read).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EffectivePolicy(String nodePath, List<AppliedSilence> silences, List<AppliedSubscription> subscriptions,
                              List<Inhibitor> inhibitors, List<AppliedRule> rules, List<String> unavailable) {

    /** @param from the node it is set on: {@code nodePath} itself or an ancestor */
    public record AppliedSilence(Silence silence, String from, boolean activeNow) {
    }

    public record AppliedSubscription(long id, String from, long channelId, String channelName, String channelType, String minSeverity,
                                      Integer escalateAfterSeconds, Integer repeatSeconds) {
    }

    public record Inhibitor(long alarmId, String from, String severity, String title) {
    }

    /** @param from the node the rule is set on */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AppliedRule(long id, String from, String name, String metric, String comparator, double threshold, int forSeconds,
                              Integer noDataSeconds, String severity, boolean enabled) {
    }
}
