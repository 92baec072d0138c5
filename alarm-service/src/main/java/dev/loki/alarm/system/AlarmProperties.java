package dev.loki.alarm.system;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * alarm-service settings ({@code loki.alarm.*}).
 *
 * @param reopenWindow an alarm resolved less than this long ago is opened again when its source fires again
 *                     (one alarm per flapping problem), rather than a new one created
 * @param ptreeUri ptree-service, whose path-change log alarms follow (renames, moves, deletions)
 * @param assetUri asset-service: the status of the servers alarms are on (maintenance and pool never page)
 * @param deployUri deploy-service: the deployments that ran before an alarm, and its rollback
 * @param monitorUri monitor-service: the alert rules in a node's effective policy
 * @param changesWindow how far back before an alarm its "what changed" looks
 * @param notifications how alarms become notifications
 */
@Validated
@ConfigurationProperties("loki.alarm")
public record AlarmProperties(@NotNull @DefaultValue("1h") Duration reopenWindow, @NotNull URI ptreeUri, @NotNull URI assetUri,
                              @NotNull URI deployUri, @NotNull URI monitorUri, @NotNull @DefaultValue("30m") Duration changesWindow,
                              @NotNull @Valid @DefaultValue Notifications notifications) {

    /**
     * @param groupWait how long an incident (the alarms of one node and rule) gathers alarms before its one
     *                  notification goes out
     * @param interval how often each replica looks for incidents to notify and deliveries to send
     * @param retryMin the wait after a delivery's first failed attempt; it doubles with each further one
     * @param retryMax the longest wait between attempts
     * @param maxAge a delivery not accepted (2xx) this long after it was made is given up (dead)
     * @param timeout how long one attempt may take
     * @param lease how long a replica holds the deliveries it is sending; another takes over after it lapses
     * @param mailFrom the sender of e-mail notifications
     */
    public record Notifications(@NotNull @DefaultValue("30s") Duration groupWait, @NotNull @DefaultValue("1s") Duration interval,
                         @NotNull @DefaultValue("5s") Duration retryMin, @NotNull @DefaultValue("5m") Duration retryMax,
                         @NotNull @DefaultValue("24h") Duration maxAge, @NotNull @DefaultValue("10s") Duration timeout,
                         @NotNull @DefaultValue("60s") Duration lease, @NotNull @DefaultValue("loki@localhost") String mailFrom) {
    }
}
