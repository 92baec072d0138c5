package dev.loki.auth.grant;

import java.util.Comparator;
import java.util.List;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

import dev.loki.support.Page;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import dev.loki.auth.token.ApiTokenRepository;
import dev.loki.auth.user.Administrators;
import dev.loki.auth.user.User;
import dev.loki.auth.user.UserRepository;
import dev.loki.events.Events;
import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.events.GrantCreated;
import dev.loki.events.GrantRevoked;
import dev.loki.support.Caller;
import dev.loki.support.EventPublisher;
import reactor.core.publisher.Mono;

/** Node-scoped privileges: who may do what where, inherited down the tree. */
@Service
class GrantService {

    private static final GrantRequests.CheckResult DENIED = new GrantRequests.CheckResult(false, null, null);

    private final GrantRepository grants;
    private final UserRepository users;
    private final ApiTokenRepository tokens;
    private final EventPublisher events;
    private final Administrators admins;

    private final org.springframework.transaction.reactive.TransactionalOperator tx;

    GrantService(GrantRepository grants, UserRepository users, ApiTokenRepository tokens, EventPublisher events, Administrators admins,
                 org.springframework.transaction.reactive.TransactionalOperator tx) {
        this.tx = tx;
        this.grants = grants;
        this.admins = admins;
        this.users = users;
        this.tokens = tokens;
        this.events = events;
    }

    /**
     * Whether {@code subject} holds {@code privilege} on {@code nodePath}: through a grant on the path
     * or an ancestor, or because the subject is an enabled administrator user (API tokens are never
     * admins). Read from the tables on every call: a disabled or deleted user, and a revoked or expired
     * token or one whose owner is disabled, holds nothing.
     */
    Mono<GrantRequests.CheckResult> check(String subject, String nodePath, String privilege) {
        return active(subject).flatMap(active -> !active ? Mono.just(DENIED) : admins.isAdmin(subject).flatMap(isAdmin -> {
            if (isAdmin) {
                return Mono.just(new GrantRequests.CheckResult(true, null, "admin"));
            }
            List<String> ancestry = NodePath.of(nodePath).selfAndAncestors();
            return grants.find(List.of(subject), privilege, ancestry)
                    .sort(Comparator.comparingInt((Grant g) -> g.nodePath().length()).reversed())
                    .next()
                    .map(g -> new GrantRequests.CheckResult(true, new GrantRequests.GrantedBy(g.nodePath(), g.privilege()), "grant"))
                    .defaultIfEmpty(DENIED);
        }));
    }

    /** Errors with 403 unless the caller holds {@code privilege} on {@code nodePath} (or an ancestor). */
    Mono<Void> require(Caller caller, String nodePath, String privilege, String why) {
        return check(caller.subject(), nodePath, privilege)
                .flatMap(r -> r.allowed() ? Mono.<Void>empty()
                        : Mono.error(Problems.forbidden("You need " + privilege + " on " + nodePath + " (or an ancestor) " + why + ".")));
    }

    /** Errors with 403 unless the caller may manage grants on {@code nodePath}. */
    Mono<Void> requireGrantManage(Caller caller, String nodePath) {
        return require(caller, nodePath, Privilege.GRANT_MANAGE.wire(), "to do this");
    }

    /**
     * Errors with 403 unless the caller may give (or take away) {@code privilege} on {@code nodePath}:
     * they need grant.manage there and must hold the privilege itself, so grant.manage never amounts to
     * more than its holder has.
     */
    Mono<Void> requireMayGive(Caller caller, String nodePath, String privilege) {
        return requireGrantManage(caller, nodePath)
                .then(require(caller, nodePath, privilege, "to give or take it: you can only give what you hold"));
    }

    Mono<Grant> create(Caller caller, GrantRequests.CreateGrantRequest request) {
        if (request.subject().equals(caller.subject())) {
            return Mono.error(Problems.forbidden("You cannot grant privileges to yourself; ask someone else (a petition)."));
        }
        return requireMayGive(caller, request.nodePath(), request.privilege())
                .then(subjectExists(request.subject()))
                // the grant and its history entry together
                .then(Mono.defer(() -> grants.insert(request.subject(), request.nodePath(), request.privilege(), caller.subject(), Times.now())
                        .flatMap(id -> grants.log(id, request.subject(), request.nodePath(), request.privilege(), "granted", caller.subject(),
                                Times.now()).thenReturn(id))
                        .as(tx::transactional)))
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
                .flatMap(g -> requireMayGive(caller, g.nodePath(), g.privilege())
                        .then(grants.delete(id).then(grants.log(id, g.subject(), g.nodePath(), g.privilege(), "revoked", caller.subject(), Times.now()))
                                .as(tx::transactional))
                        .then(events.publish(new GrantRevoked(Events.newId(), Events.now(), "auth-service", g.nodePath(),
                                g.id(), g.subject(), g.privilege(), caller.subject()))));
    }

    /** Creates the grant unless it exists already (approving a petition twice must not fail). */
    Mono<Void> ensure(String subject, String nodePath, String privilege, String grantedBy) {
        return grants.find(List.of(subject), privilege, List.of(nodePath)).hasElements()
                .flatMap(exists -> exists ? Mono.<Void>empty()
                        : grants.insert(subject, nodePath, privilege, grantedBy, Times.now())
                                .flatMap(id -> grants.log(id, subject, nodePath, privilege, "granted", grantedBy, Times.now()).thenReturn(id))
                                .as(tx::transactional)
                                .flatMap(id -> events.publish(new GrantCreated(Events.newId(), Events.now(), "auth-service",
                                        nodePath, id, subject, privilege, grantedBy))));
    }

    /** Whether the subject can hold anything now: an enabled user, or a usable token of an enabled user. */
    private Mono<Boolean> active(String subject) {
        if (subject.startsWith("user:")) {
            return users.findByUsername(subject.substring(5)).map(User::enabled).defaultIfEmpty(false);
        }
        if (!subject.startsWith("token:")) {
            return Mono.just(false);
        }
        return tokens.findActiveOwner(Long.parseLong(subject.substring(6)))
                .flatMap(owner -> users.findByUsername(owner).map(User::enabled))
                .defaultIfEmpty(false);
    }

    private Mono<Void> subjectExists(String subject) {
        Mono<Boolean> exists = subject.startsWith("user:")
                ? users.findByUsername(subject.substring(5)).map(User::enabled).defaultIfEmpty(false)
                : tokens.existsActive(Long.parseLong(subject.substring(6)));
        return exists.flatMap(ok -> ok ? Mono.<Void>empty()
                : Mono.error(Problems.invalid("subject", "no such user or active API token: " + subject)));
    }
}
