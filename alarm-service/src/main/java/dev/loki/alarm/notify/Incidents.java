package dev.loki.alarm.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.alarm.change.Changes;
import dev.loki.alarm.silence.Silence;
import dev.loki.alarm.silence.Silences;
import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.DeployMutes;
import dev.loki.events.NodePath;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Noise control: the alarms of one node and one rule (an alarm without a rule: one fingerprint) that open
 * while an incident of theirs is open are that one incident, notified once — after its group wait, with
 * the count and the first hosts — and once more when its last alarm is resolved. An incident over before
 * its group wait ended is never notified. An open alarm is held back (left out, and followed up once nothing
 * holds it) while a silence matches it, a deployment's running batch holds its host, its server is in
 * maintenance or the pool, or an open node-level alarm (one without a host) at least as severe sits on its
 * node or above (inhibition: the node's availability alarm speaks for its hosts). The notifications are rows
 * in {@code deliveries} (an outbox), written in the transaction that decided them; the {@link Dispatcher}
 * sends them.
 */
@Component
public class Incidents extends PollingWork {

    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");
    /** At most this many hosts are named in a notification. */
    static final int TOP_HOSTS = 10;

    private final IncidentRepository incidents;
    private final ChannelRepository channels;
    private final DeliveryRepository deliveries;
    private final Silences silences;
    private final DeployMuteReader mutes;
    private final ServerStatuses statuses;
    private final Changes changes;
    private final TransactionalOperator tx;
    private final AlarmProperties.Notifications settings;
    private final JsonMapper json = JsonMapper.builder().build();

    Incidents(IncidentRepository incidents, ChannelRepository channels, DeliveryRepository deliveries, Silences silences,
              DeployMuteReader mutes, ServerStatuses statuses, Changes changes, TransactionalOperator tx, AlarmProperties properties) {
        super("notifying due incidents", properties.notifications().interval());
        this.changes = changes;
        this.mutes = mutes;
        this.statuses = statuses;
        this.incidents = incidents;
        this.channels = channels;
        this.deliveries = deliveries;
        this.silences = silences;
        this.tx = tx;
        this.settings = properties.notifications();
    }

    /** An alarm opened (new or re-opened): it joins the open incident of its node and rule, or opens one. In the caller's transaction. */
    public Mono<Void> join(long alarmId, String nodePath, Long ruleId, String fingerprint, String ruleName, String title, String severity,
                           Instant at) {
        String key = sha256(nodePath + "\n" + (ruleId != null ? "rule:" + ruleId : "fingerprint:" + fingerprint));
        String incidentTitle = ruleId != null && ruleName != null ? ruleName + " on " + nodePath : title;
        return incidents.lockOpen(key)
                .flatMap(open -> (rank(severity) > rank(open.severity()) ? incidents.raiseSeverity(open.id(), severity) : Mono.<Void>empty())
                        .then(Mono.just(open.id())))
                // a DataIntegrityViolationException when another replica opened it meanwhile: the caller's transaction runs again
                .switchIfEmpty(Mono.defer(() -> incidents.insert(key, nodePath, incidentTitle, severity, at, at.plus(settings.groupWait()))))
                .flatMap(incident -> incidents.attach(alarmId, incident));
    }

    /** An alarm was resolved: the last open one of its incident ends the incident (notified: a resolution goes out). In the caller's transaction. */
    public Mono<Void> alarmClosed(long alarmId) {
        return incidents.incidentOf(alarmId)
                .flatMap(incidents::lock)
                .filter(incident -> !"resolved".equals(incident.status()))
                .flatMap(incident -> incidents.openAlarms(incident.id()).flatMap(open -> {
                    if (open > 0) {
                        return Mono.empty();
                    }
                    Instant now = Times.now();
                    Mono<Void> resolution = "notified".equals(incident.status()) ? deliver(incident, "resolved", now) : Mono.empty();
                    return resolution.then(incidents.close(incident.id(), now));
                }));
    }

    /** The notifications of the alarm's (latest) incident, each with its attempts. */
    public Flux<Delivery> deliveries(long alarmId) {
        return incidents.incidentOf(alarmId).flatMapMany(deliveries::ofIncident);
    }

    @Override
    Mono<Void> round() {
        return flushDue().then(escalate());
    }

    /**
     * Incidents whose group wait is over get their one notification, each by exactly one replica (the incident's
     * row is locked and must still be waiting). Its open alarms that a silence or a running deployment holds back
     * are left out; when that is all of them, the incident waits and is looked at again shortly (a silence may end,
     * a deployment's batch finish, while they still fire). Then the follow-ups: alarms held back from an incident
     * that was notified for others are sent once nothing holds them any more.
     */
    Mono<Void> flushDue() {
        Instant now = Times.now();
        Mono<Void> due = incidents.due(now, 50)
                // what changed before it is asked for first, outside the transaction that locks the incident
                .concatMap(id -> changesBefore(id).flatMap(changed -> incidents.lock(id)
                        .filter(incident -> "waiting".equals(incident.status()))
                        .flatMap(incident -> incidents.alarms(incident.id()).collectList()
                                .flatMap(alarms -> split(incident, alarms, now))
                                .flatMap(split -> split.loud().isEmpty()
                                        ? incidents.postpone(incident.id(), now.plus(settings.interval().multipliedBy(5)))
                                        : incidents.markNotified(incident.id(), now)
                                                .then(incidents.alarmsNotified(ids(split.loud()), now))
                                                .then(deliver(incident, "firing", now, split.loud(), "firing", changed))))
                        .as(tx::transactional)))
                .then();
        Mono<Void> followUps = incidents.withHeldAlarms(50)
                .concatMap(id -> incidents.lock(id)
                        .filter(incident -> "notified".equals(incident.status()))
                        .flatMap(incident -> incidents.alarms(incident.id()).collectList()
                                .map(alarms -> alarms.stream().filter(a -> a.containsKey("heldAt") && !a.containsKey("notifiedAt")).toList())
                                .flatMap(held -> split(incident, held, now))
                                .flatMap(split -> split.loud().isEmpty() ? Mono.<Void>empty()
                                        : incidents.alarmsNotified(ids(split.loud()), now)
                                                .then(deliver(incident, "firing", now, split.loud(),
                                                        "followup-" + ids(split.loud()).stream().mapToLong(Long::longValue).max().orElse(0)))))
                        .as(tx::transactional))
                .then();
        return due.then(followUps);
    }

    /**
     * What changed on the incident's node and hosts before its first alarm fired, as its first notification lists it
     * ({@code changes}, and {@code changesUnavailable} naming a service that could not be asked).
     */
    private Mono<Map<String, Object>> changesBefore(long incidentId) {
        return incidents.alarms(incidentId).collectList().flatMap(alarms -> {
            if (alarms.isEmpty()) {
                return Mono.just(Map.<String, Object>of());
            }
            List<String> hosts = alarms.stream().map(a -> (String) a.get("hostname")).filter(java.util.Objects::nonNull).distinct().toList();
            return changes.before((String) alarms.get(0).get("nodePath"), hosts, Instant.parse((String) alarms.get(0).get("firstSeenAt")))
                    .map(found -> {
                        Map<String, Object> extra = new LinkedHashMap<>();
                        extra.put("changes", found.entries());
                        if (!found.unavailable().isEmpty()) {
                            extra.put("changesUnavailable", found.unavailable());
                        }
                        return extra;
                    });
        });
    }

    /** An incident's open alarms: those to tell about now, and those a silence or a running batch holds back (noted as held). */
    private record Split(List<Map<String, Object>> loud, List<Map<String, Object>> held) {
    }

    private Mono<Split> split(IncidentRepository.Incident incident, List<Map<String, Object>> alarms, Instant now) {
        List<Map<String, Object>> open = alarms.stream().filter(a -> !"resolved".equals(a.get("status"))).toList();
        java.util.Set<String> hosts = open.stream().map(a -> (String) a.get("hostname")).filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet());
        Mono<List<IncidentRepository.Inhibitor>> inhibitors = hosts.isEmpty() ? Mono.just(List.of())
                : incidents.inhibitors(NodePath.of(incident.nodePath()).selfAndAncestors()).collectList();
        return Mono.zip(silences.covering(incident.nodePath(), now), mutes.mutes(hosts), statuses.quiet(hosts), inhibitors).flatMap(t -> {
            List<Map<String, Object>> loud = new java.util.ArrayList<>();
            List<Map<String, Object>> held = new java.util.ArrayList<>();
            Mono<Void> noted = Mono.empty();
            for (Map<String, Object> alarm : open) {
                DeployMutes.Mute mute = alarm.get("hostname") == null ? null : t.getT2().get(alarm.get("hostname"));
                boolean silenced = t.getT1().stream().anyMatch(s -> s.silences(target(alarm), now));
                // a server in maintenance or in the pool never pages (while it is there)
                boolean quiet = alarm.get("hostname") != null && t.getT3().contains(alarm.get("hostname"));
                // inhibition: an open node-level alarm (no host) on its node or above, at least as severe, speaks for it
                boolean inhibited = alarm.get("hostname") != null && t.getT4().stream()
                        .anyMatch(i -> rank(i.severity()) >= rank((String) alarm.get("severity")));
                if (mute != null) {
                    noted = noted.then(incidents.mutedBy(((Number) alarm.get("id")).longValue(), mute, now));
                }
                (mute != null || silenced || quiet || inhibited ? held : loud).add(alarm);
            }
            return noted.then(incidents.held(ids(held), now)).thenReturn(new Split(loud, held));
        });
    }

    private static List<Long> ids(List<Map<String, Object>> alarms) {
        return alarms.stream().map(a -> ((Number) a.get("id")).longValue()).toList();
    }

    private static Silence.Target target(Map<String, Object> alarm) {
        @SuppressWarnings("unchecked")
        Map<String, String> labels = alarm.get("labels") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
        return new Silence.Target((String) alarm.get("nodePath"), labels, (String) alarm.get("hostname"), (String) alarm.get("severity"),
                (String) alarm.get("fingerprint"), (String) alarm.get("rule"));
    }

    /** The end of an incident: one resolution to every channel that was told of it (at once, or by an escalation). */
    private Mono<Void> deliver(IncidentRepository.Incident incident, String event, Instant at) {
        return incidents.alarms(incident.id()).collectList().flatMap(alarms -> incidents.toldChannels(incident.id())
                .concatMap(channel -> delivery(incident, channel, event, at, alarms, event, Map.of()))
                .then());
    }

    /**
     * One delivery per channel a subscription covering the incident's node and severity tells at once (escalations
     * come later, from {@link #escalate()}); {@code name} tells this notification of the incident from its others
     * (its idempotency key, one per channel).
     */
    private Mono<Void> deliver(IncidentRepository.Incident incident, String event, Instant at, List<Map<String, Object>> alarms, String name) {
        return deliver(incident, event, at, alarms, name, Map.of());
    }

    private Mono<Void> deliver(IncidentRepository.Incident incident, String event, Instant at, List<Map<String, Object>> alarms, String name,
                               Map<String, Object> extra) {
        return channels.covering(NodePath.of(incident.nodePath()).selfAndAncestors())
                .filter(s -> rank(incident.severity()) >= rank(s.minSeverity()) && s.escalateAfterSeconds() == null)
                .map(Subscription::channelId)
                .distinct()
                .concatMap(channel -> delivery(incident, channel, event, at, alarms, name, extra))
                .then();
    }

    private Mono<Void> delivery(IncidentRepository.Incident incident, long channel, String event, Instant at, List<Map<String, Object>> alarms,
                                String name, Map<String, Object> extra) {
        return incidents.insertDelivery(incident.id(), channel, event, "loki-incident-" + incident.id() + "-" + name + "-channel-" + channel,
                body(incident, event, alarms, extra), at);
    }

    /**
     * Escalations and repeats, for notified incidents with an alarm that was told and nobody acknowledged: a
     * subscription with {@code escalateAfterSeconds} tells its channel once the incident has been notified that
     * long (unless the channel was told already); one with {@code repeatSeconds} tells a channel that was told
     * again every that long, counted from when it was told first. Each is keyed by the incident, the channel
     * and (a repeat) its number, so replicas deciding the same one at once make one delivery; repeats missed
     * while no replica ran are not made up, the next one is sent.
     */
    Mono<Void> escalate() {
        Instant now = Times.now();
        return channels.anyEscalating().filter(Boolean::booleanValue)
                .flatMapMany(any -> incidents.unacknowledged(200))
                .concatMap(incident -> channels.covering(NodePath.of(incident.nodePath()).selfAndAncestors())
                        .filter(s -> rank(incident.severity()) >= rank(s.minSeverity())
                                && (s.escalateAfterSeconds() != null || s.repeatSeconds() != null))
                        .collectList()
                        .filter(subscriptions -> !subscriptions.isEmpty())
                        .flatMap(subscriptions -> Mono.zip(incidents.toldChannels(incident.id()).collectList(),
                                incidents.alarms(incident.id()).collectList()).flatMap(t -> {
                            List<Map<String, Object>> unacknowledged = t.getT2().stream()
                                    .filter(a -> "firing".equals(a.get("status")) && a.containsKey("notifiedAt")).toList();
                            Mono<Void> sends = Mono.empty();
                            for (Subscription s : subscriptions) {
                                int after = s.escalateAfterSeconds() == null ? 0 : s.escalateAfterSeconds();
                                Instant from = incident.notifiedAt().plusSeconds(after);
                                if (now.isBefore(from)) {
                                    continue;
                                }
                                if (s.escalateAfterSeconds() != null && !t.getT1().contains(s.channelId())) {
                                    sends = sends.then(delivery(incident, s.channelId(), "firing", now, unacknowledged, "escalation",
                                            Map.of("escalation", Map.of("afterSeconds", after))));
                                }
                                long repeat = s.repeatSeconds() == null ? 0 : (now.getEpochSecond() - from.getEpochSecond()) / s.repeatSeconds();
                                if (repeat >= 1 && (s.escalateAfterSeconds() != null || t.getT1().contains(s.channelId()))) {
                                    sends = sends.then(delivery(incident, s.channelId(), "repeat", now, unacknowledged, "repeat-" + repeat,
                                            Map.of("repeat", repeat)));
                                }
                            }
                            return sends;
                        })))
                .then();
    }

    private String body(IncidentRepository.Incident incident, String event, List<Map<String, Object>> alarms, Map<String, Object> extra) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Map<String, Object> alarm : alarms) {
            if (alarm.get("hostname") instanceof String host && hosts.size() < TOP_HOSTS) {
                hosts.add(host);
            }
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("incidentId", incident.id());
        group.put("nodePath", incident.nodePath());
        group.put("title", incident.title());
        group.put("severity", incident.severity());
        group.put("count", alarms.size());
        group.put("hostnames", List.copyOf(hosts));
        List<Object> deployments = alarms.stream().map(a -> a.get("deployment")).filter(java.util.Objects::nonNull).distinct().toList();
        if (!deployments.isEmpty()) {
            // the deployments whose batches held these alarms back while they ran
            group.put("deployments", deployments);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("alarm", alarms.isEmpty() ? Map.of() : shown(alarms.get(0)));
        body.put("group", group);
        body.put("alarms", alarms.subList(0, Math.min(alarms.size(), TOP_HOSTS)).stream().map(Incidents::shown).toList());
        body.putAll(extra);
        return json.writeValueAsString(body);
    }

    /** An alarm as a notification shows it: without the bookkeeping of when it was held back or told. */
    private static Map<String, Object> shown(Map<String, Object> alarm) {
        Map<String, Object> copy = new LinkedHashMap<>(alarm);
        copy.remove("heldAt");
        copy.remove("notifiedAt");
        return copy;
    }

    static int rank(String severity) {
        return SEVERITIES.indexOf(severity);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
