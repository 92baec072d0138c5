package dev.loki.alarm.silence;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.support.Caller;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/** Silences and maintenance windows: anyone signed in reads them; creating or deleting one needs {@code alarm.manage} on its node. */
@RestController
class SilenceController {

    private final SilenceRepository silences;
    private final Permissions permissions;

    SilenceController(SilenceRepository silences, Permissions permissions) {
        this.silences = silences;
        this.permissions = permissions;
    }

    @GetMapping("/api/alarm/silences")
    Mono<Page<Silence>> list(@RequestParam(required = false) String nodePath, @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        Page.check(page, size);
        return silences.search(nodePath, page, size);
    }

    @GetMapping("/api/alarm/silences/{id}")
    Mono<Silence> get(@PathVariable long id) {
        return silences.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Silence", id)));
    }

    @PostMapping("/api/alarm/silences")
    Mono<ResponseEntity<Silence>> create(@Valid @RequestBody SilenceRequest request) {
        if (!request.endsAt().isAfter(request.startsAt())) {
            throw Problems.invalid("endsAt", "must be after startsAt");
        }
        Duration period = Silence.period(request.repeat());
        if (period != null && Duration.between(request.startsAt(), request.endsAt()).compareTo(period) >= 0) {
            throw Problems.invalid("endsAt", "a " + request.repeat() + " window must be shorter than " + (period.toDays() == 1 ? "a day" : "a week"));
        }
        List<Silence.Matcher> matchers = request.matchers() == null ? List.of()
                : request.matchers().stream().map(m -> new Silence.Matcher(m.label(), m.value())).toList();
        return permissions.require(request.nodePath(), Privilege.ALARM_MANAGE)
                .then(Caller.current())
                .flatMap(caller -> silences.insert(request.nodePath(), matchers, request.startsAt(), request.endsAt(), request.repeat(),
                        request.comment().strip(), caller.subject()))
                .flatMap(silences::find)
                .map(s -> ResponseEntity.created(URI.create("/api/alarm/silences/" + s.id())).body(s));
    }

    @DeleteMapping("/api/alarm/silences/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return get(id).flatMap(s -> permissions.require(s.nodePath(), Privilege.ALARM_MANAGE))
                .then(Mono.defer(() -> silences.delete(id))).then();
    }
}
