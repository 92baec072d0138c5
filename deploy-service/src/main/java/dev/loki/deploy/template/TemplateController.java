package dev.loki.deploy.template;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
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

/**
 * Deployment templates on tree nodes: anyone signed in reads them; creating, changing or deleting one
 * needs {@code deploy.template} on its node (a change that moves it, on both nodes). Every save is a new
 * revision; earlier ones stay readable.
 */
@RestController
class TemplateController {

    static final Privilege PRIVILEGE = Privilege.DEPLOY_TEMPLATE;

    private final TemplateRepository templates;
    private final Permissions permissions;
    private final TransactionalOperator tx;

    TemplateController(TemplateRepository templates, Permissions permissions, TransactionalOperator tx) {
        this.templates = templates;
        this.permissions = permissions;
        this.tx = tx;
    }

    @GetMapping("/api/deploy/templates")
    Mono<Page<Template>> list(@RequestParam(required = false) String nodePath, @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        Page.check(page, size);
        return templates.search(nodePath, page, size);
    }

    @GetMapping("/api/deploy/templates/{id}")
    Mono<Template> get(@PathVariable long id) {
        return templates.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Template", id)));
    }

    @GetMapping("/api/deploy/templates/{id}/revisions")
    Mono<Page<TemplateRevision>> revisions(@PathVariable long id, @RequestParam(defaultValue = "0") int page,
                                           @RequestParam(defaultValue = "50") int size) {
        Page.check(page, size);
        return templates.revisions(id, page, size).filter(p -> p.total() > 0).switchIfEmpty(Mono.error(() -> Problems.notFound("Template", id)));
    }

    /** What revision {@code revision} said (also of a deleted template: deployments pin revisions). */
    @GetMapping("/api/deploy/templates/{id}/revisions/{revision}")
    Mono<TemplateSpec> revision(@PathVariable long id, @PathVariable int revision) {
        return templates.spec(id, revision).switchIfEmpty(Mono.error(() -> Problems.notFound("Template revision", id + "/" + revision)));
    }

    @PostMapping("/api/deploy/templates")
    Mono<ResponseEntity<Template>> create(@Valid @RequestBody TemplateSpec request) {
        TemplateSpec spec = TemplateRules.check(request);
        return permissions.require(spec.nodePath(), PRIVILEGE)
                .then(Caller.current())
                .flatMap(caller -> templates.insert(spec, caller.subject()).as(tx::transactional))
                .onErrorMap(DataIntegrityViolationException.class, e -> taken(spec))
                .flatMap(templates::find)
                .map(t -> ResponseEntity.created(URI.create("/api/deploy/templates/" + t.id())).body(t));
    }

    @PutMapping("/api/deploy/templates/{id}")
    Mono<Template> update(@PathVariable long id, @Valid @RequestBody TemplateSpec request) {
        TemplateSpec spec = TemplateRules.check(request);
        return get(id).flatMap(existing -> permissions.require(existing.spec().nodePath(), PRIVILEGE)
                        .then(permissions.require(spec.nodePath(), PRIVILEGE)))
                .then(Caller.current())
                .flatMap(caller -> templates.lock(id)
                        .switchIfEmpty(Mono.error(() -> Problems.notFound("Template", id)))
                        .flatMap(current -> templates.update(id, current + 1, spec, caller.subject()))
                        .as(tx::transactional))
                .onErrorMap(DataIntegrityViolationException.class, e -> taken(spec))
                .then(Mono.defer(() -> get(id)));
    }

    @DeleteMapping("/api/deploy/templates/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return get(id).flatMap(existing -> permissions.require(existing.spec().nodePath(), PRIVILEGE))
                .then(Mono.defer(() -> templates.delete(id)))
                .then();
    }

    private static RuntimeException taken(TemplateSpec spec) {
        return Problems.conflict("The node " + spec.nodePath() + " already has a template named " + spec.name() + ".");
    }
}
