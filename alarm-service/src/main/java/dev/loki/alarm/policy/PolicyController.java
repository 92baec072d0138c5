package dev.loki.alarm.policy;

import java.time.Instant;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.alarm.silence.Silences;
import dev.loki.events.NodePath;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Mono;

/** The effective notification policy of a node: anyone signed in may read it. */
@RestController
class PolicyController {

    private final Silences silences;
    private final DatabaseClient db;
    private final MonitorRules rules;

    PolicyController(Silences silences, DatabaseClient db, MonitorRules rules) {
        this.silences = silences;
        this.db = db;
        this.rules = rules;
    }

    @GetMapping("/api/alarm/policy")
    Mono<EffectivePolicy> policy(@RequestParam String nodePath) {
        if (!NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        List<String> above = NodePath.of(nodePath).selfAndAncestors();
        Instant now = Times.now();
        var applied = silences.covering(nodePath, now).map(list -> list.stream()
                .map(s -> new EffectivePolicy.AppliedSilence(s, s.nodePath(), s.activeAt(now))).toList());
        var subscriptions = db.sql("SELECT s.id, s.node_path, s.channel_id, c.name, c.type, s.min_severity, s.escalate_after_seconds, s.repeat_seconds FROM subscriptions s "
                        + "JOIN channels c ON c.id = s.channel_id WHERE s.node_path IN (:paths) ORDER BY LENGTH(s.node_path) DESC, s.id")
                .bind("paths", above)
                .map(r -> new EffectivePolicy.AppliedSubscription(r.get("id", Long.class), r.get("node_path", String.class),
                        r.get("channel_id", Long.class), r.get("name", String.class), r.get("type", String.class), r.get("min_severity", String.class),
                        r.get("escalate_after_seconds", Integer.class), r.get("repeat_seconds", Integer.class)))
                .all().collectList();
        var inhibitors = db.sql("SELECT id, node_path, severity, title FROM alarms WHERE hostname IS NULL AND open_fingerprint IS NOT NULL "
                        + "AND node_path IN (:paths) ORDER BY LENGTH(node_path) DESC, id")
                .bind("paths", above)
                .map(r -> new EffectivePolicy.Inhibitor(r.get("id", Long.class), r.get("node_path", String.class), r.get("severity", String.class),
                        r.get("title", String.class)))
                .all().collectList();
        return Mono.zip(applied, subscriptions, inhibitors, rules.applying(nodePath)).map(t -> new EffectivePolicy(nodePath, t.getT1(), t.getT2(),
                t.getT3(), t.getT4().rules(), t.getT4().available() ? null : List.of("monitor-service")));
    }
}
