package dev.loki.auth.grant;

import java.net.URI;

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

import dev.loki.auth.system.Callers;
import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

@RestController
class GrantController {

    private final GrantService grants;

    GrantController(GrantService grants) {
        this.grants = grants;
    }

    @PostMapping("/api/auth/grants")
    Mono<ResponseEntity<Grant>> create(@Valid @RequestBody GrantRequests.CreateGrantRequest request) {
        return Callers.current().flatMap(c -> grants.create(c, request))
                .map(g -> ResponseEntity.created(URI.create("/api/auth/grants/" + g.id())).body(g));
    }

    @GetMapping("/api/auth/grants")
    Mono<Page<Grant>> search(@RequestParam(required = false) String subject,
                                    @RequestParam(required = false) String nodePath,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            return Mono.error(Problems.invalid("nodePath", NodePath.MESSAGE));
        }
        return Callers.current().then(grants.search(subject, nodePath, page, size));
    }

    @DeleteMapping("/api/auth/grants/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return Callers.current().flatMap(c -> grants.delete(c, id));
    }

    /** Any authenticated caller may ask; {@code subject} defaults to the caller. */
    @GetMapping("/api/auth/check")
    Mono<GrantRequests.CheckResult> check(@RequestParam(required = false) String subject,
                                          @RequestParam String nodePath,
                                          @RequestParam String privilege) {
        if (subject != null && !subject.matches(GrantRequests.SUBJECT)) {
            return Mono.error(Problems.invalid("subject", GrantRequests.SUBJECT_MESSAGE));
        }
        if (!NodePath.isValid(nodePath)) {
            return Mono.error(Problems.invalid("nodePath", NodePath.MESSAGE));
        }
        if (Privilege.of(privilege).isEmpty()) {
            return Mono.error(Problems.invalid("privilege", Privilege.MESSAGE));
        }
        return Callers.current().flatMap(c -> grants.check(subject == null ? c.subject() : subject, nodePath, privilege));
    }
}
