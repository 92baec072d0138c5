package dev.loki.monitor.rules;

import java.net.URI;
import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.AlertResolved;
import dev.loki.events.Events;
import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.support.Caller;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Alert rules: anyone signed in reads them; changing one needs {@code monitor.manage} on its node. */
@RestController
class RuleController {

    static final Privilege PRIVILEGE = Privilege.MONITOR_MANAGE;

    private final RuleRepository rules;
    private final AlertState state;
    private final Permissions permissions;

    RuleController(RuleRepository rules, AlertState state, Permissions permissions) {
        this.rules = rules;
        this.state = state;
        this.permissions = permissions;
    }

    @GetMapping("/api/monitor/rules")
    Mono<Page<Rule>> list(@RequestParam(required = false) String nodePath, @RequestParam(defaultValue = "0") int page,
                          @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        Page.check(page, size);
        return rules.search(nodePath, page, size);
    }

    @GetMapping("/api/monitor/rules/{id}")
    Mono<Rule> get(@PathVariable long id) {
        return rules.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Rule", id)));
    }

    @PostMapping("/api/monitor/rules")
    Mono<ResponseEntity<Rule>> create(@Valid @RequestBody RuleRequest request) {
        checkNoData(request);
        return permissions.require(request.nodePath(), PRIVILEGE)
                .then(Caller.current())
                .flatMap(caller -> rules.insert(rule(0, request, caller.subject())))
                .map(r -> ResponseEntity.created(URI.create("/api/monitor/rules/" + r.id())).body(r));
    }

    @PutMapping("/api/monitor/rules/{id}")
    Mono<Rule> update(@PathVariable long id, @Valid @RequestBody RuleRequest request) {
        checkNoData(request);
        return get(id).flatMap(existing -> permissions.require(existing.nodePath(), PRIVILEGE)
                .then(permissions.require(request.nodePath(), PRIVILEGE))
                .then(resolveAll(existing))
                .then(rules.update(rule(id, request, existing.createdBy()))));
    }

    @DeleteMapping("/api/monitor/rules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return get(id).flatMap(existing -> permissions.require(existing.nodePath(), PRIVILEGE)
                // resolved first: a rule deleted with its alerts still recorded as firing would never clear them
                .then(resolveAll(existing))
                .then(rules.delete(id)).then());
    }

    /** No data is judged where Loki knows who should report: the hosts (host.*) or domains (url.*) bound below the node. */
    private static void checkNoData(RuleRequest request) {
        if (request.noDataSeconds() != null && !request.metric().startsWith("host.") && !request.metric().startsWith("url.")) {
            throw Problems.invalid("noDataSeconds", "only for host.* and url.* metrics, whose reporters are the node's hosts or domains");
        }
    }

    /** A changed or deleted rule starts afresh: what it had raised is resolved. */
    private Mono<Void> resolveAll(Rule rule) {
        return state.firing(rule.id()).flatMapMany(firing -> Flux.fromIterable(firing.entrySet()))
                .concatMap(e -> state.clear(rule.id(), e.getKey(), () -> new AlertResolved(Events.newId(), Events.now(), "monitor-service",
                        rule.nodePath(), rule.id(), rule.name(), rule.metric(), Map.of(), null, e.getKey())))
                .then(state.forget(rule.id()))
                .then();
    }

    private static Rule rule(long id, RuleRequest r, String createdBy) {
        return new Rule(id, r.name(), r.nodePath(), r.metric(), r.tags() == null ? Map.of() : r.tags(),
                r.aggregator() == null ? "avg" : r.aggregator(), r.downsample(), r.comparator(), r.threshold(), r.forSeconds(),
                r.severity() == null ? "warning" : r.severity(), r.enabled() == null || r.enabled(), r.noDataSeconds(), createdBy, Times.now(),
                Times.now());
    }
}
