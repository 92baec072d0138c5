package dev.loki.auth.grant;

import java.util.Comparator;
import java.util.List;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

import dev.loki.support.Page;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import dev.loki.auth.token.ApiTokenRepository;
import dev.loki.auth.user.User;
import dev.loki.auth.user.UserRepository;
import dev.loki.events.Events;
import dev.loki.events.GrantCreated;
import dev.loki.events.GrantRevoked;
import dev.loki.support.Caller;
import dev.loki.support.EventPublisher;
import reactor.core.publisher.Mono;

/** Node-scoped privileges: who may do what where, inherited down the tree. */
@Service
class GrantService {

    private final GrantRepository grants;
    private final UserRepository users;
    private final ApiTokenRepository tokens;
    private final EventPublisher events;

    GrantService(GrantRepository grants, UserRepository users, ApiTokenRepository tokens, EventPublisher events) {
        this.grants = grants;
        this.users = users;
        this.tokens = tokens;
        this.events = events;
    }

    /**
     * Whether {@code subject} holds {@code privilege} on {@code nodePath}: through a grant on the path
     * or an ancestor, or because the subject is an administrator user (API tokens are never admins).
     */
    Mono<GrantRequests.CheckResult> check(String subject, String nodePath, String privilege) {
        Mono<Boolean> admin = subject.startsWith("user:")
                ? users.findByUsername(subject.substring(5)).map(u -> u.admin() && u.enabled()).defaultIfEmpty(false)
                : Mono.just(false);
        return admin.flatMap(isAdmin -> {
            if (isAdmin) {
                return Mono.just(new GrantRequests.CheckResult(true, null, "admin"));
            }
            List<String> ancestry = NodePaths.selfAndAncestors(nodePath);
            return grants.find(List.of(subject), privilege, ancestry)
                    .sort(Comparator.comparingInt((Grant g) -> g.nodePath().length()).reversed())
                    .next()
                    .map(g -> new GrantRequests.CheckResult(true, new GrantRequests.GrantedBy(g.nodePath(), g.privilege()), "grant"))
                    .defaultIfEmpty(new GrantRequests.CheckResult(false, null, null));
        });
    }

    /** Errors with 403 unless the caller may manage grants on {@code nodePath}. */
    Mono<Void> requireGrantManage(Caller caller, String nodePath) {
        if (caller.admin()) {
            return Mono.empty();
        }
        return check(caller.subject(), nodePath, Privilege.GRANT_MANAGE.wire())
                .flatMap(r -> r.allowed() ? Mono.<Void>empty()
                        : Mono.error(Problems.forbidden("You need grant.manage on " + nodePath + " (or an ancestor) to do this.")));
    }

    Mono<Grant> create(Caller caller, GrantRequests.CreateGrantRequest request) {
        return requireGrantManage(caller, request.nodePath())
                .then(subjectExists(request.subject()))
                .then(Mono.defer(() -> grants.insert(request.subject(), request.nodePath(), request.privilege(), caller.subject(), Times.now())))
                .onErrorMap(DataIntegrityViolationException.class, e -> Problems.conflict(
                        request.subject() + " already holds " + request.privilege() + " on " + request.nodePath() + "."))
                .flatMap(grants::findById)
                .flatMap(g -> events.publish(new GrantCreated(Events.newId(), Events.now(), "auth-service", g.nodePath(),
                        g.id(), g.subject(), g.privilege(), g.grantedBy())).thenReturn(g));
    }

    Mono<Page<Grant>> search(String subject, String nodePath, int page, int size) {
        Page.check(page, size);
        return grants.search(subject, nodePath, page, size).collectList()
                .zipWith(grants.count(subject, nodePath), (items, total) -> new Page<>(items, page, size, total));
    }

    Mono<Void> delete(Caller caller, long id) {
        return grants.findById(id)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Grant", id)))
                .flatMap(g -> requireGrantManage(caller, g.nodePath())
                        .then(grants.delete(id))
                        .then(events.publish(new GrantRevoked(Events.newId(), Events.now(), "auth-service", g.nodePath(),
                                g.id(), g.subject(), g.privilege(), caller.subject()))));
    }

    /** Creates the grant unless it exists already (approving a petition twice must not fail). */
    Mono<Void> ensure(String subject, String nodePath, String privilege, String grantedBy) {
        return grants.find(List.of(subject), privilege, List.of(nodePath)).hasElements()
                .flatMap(exists -> exists ? Mono.<Void>empty()
                        : grants.insert(subject, nodePath, privilege, grantedBy, Times.now())
                                .flatMap(id -> events.publish(new GrantCreated(Events.newId(), Events.now(), "auth-service",
                                        nodePath, id, subject, privilege, grantedBy))));
    }

    private Mono<Void> subjectExists(String subject) {
        Mono<Boolean> exists = subject.startsWith("user:")
                ? users.findByUsername(subject.substring(5)).map(User::enabled).defaultIfEmpty(false)
                : tokens.existsActive(Long.parseLong(subject.substring(6)));
        return exists.flatMap(ok -> ok ? Mono.<Void>empty()
                : Mono.error(Problems.invalid("subject", "no such user or active API token: " + subject)));
    }
}
