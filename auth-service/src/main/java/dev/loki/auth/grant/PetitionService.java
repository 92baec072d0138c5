package dev.loki.auth.grant;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.support.Page;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import dev.loki.auth.token.ApiTokenRepository;
import dev.loki.events.Events;
import dev.loki.events.PetitionDecided;
import dev.loki.events.PetitionFiled;
import dev.loki.support.Caller;
import dev.loki.support.EventPublisher;
import reactor.core.publisher.Mono;

/** Asking for a privilege; whoever holds grant.manage on the node (or above) decides. */
@Service
class PetitionService {

    private final PetitionRepository petitions;
    private final GrantService grants;
    private final TransactionalOperator tx;
    private final EventPublisher events;
    private final ApiTokenRepository tokens;

    PetitionService(PetitionRepository petitions, GrantService grants, TransactionalOperator tx, EventPublisher events,
                    ApiTokenRepository tokens) {
        this.tokens = tokens;
        this.petitions = petitions;
        this.grants = grants;
        this.tx = tx;
        this.events = events;
    }

    Mono<Petition> file(Caller caller, GrantRequests.CreatePetitionRequest request) {
        return petitions.insert(caller.subject(), request.nodePath(), request.privilege(), request.reason().strip(), Times.now())
                .flatMap(petitions::findById)
                .flatMap(p -> events.publish(new PetitionFiled(Events.newId(), Events.now(), "auth-service", p.nodePath(),
                        p.id(), p.subject(), p.privilege(), p.reason())).thenReturn(p));
    }

    /** The petitions the caller filed or may decide. */
    Mono<Page<Petition>> visible(Caller caller, String status) {
        return petitions.findByStatus(status)
                .filterWhen(p -> p.subject().equals(caller.subject()) ? Mono.just(true)
                        : grants.requireGrantManage(caller, p.nodePath()).thenReturn(true).onErrorReturn(false))
                .collectList()
                .map(items -> new Page<>(items, 0, items.size(), items.size()));
    }

    /**
     * Approving needs what granting needs (grant.manage and the privilege itself on the node) and is
     * never done by the petitioner, nor for a token by its owner; rejecting needs grant.manage.
     */
    Mono<Petition> decide(Caller caller, long id, boolean approve) {
        String status = approve ? "approved" : "rejected";
        return petitions.findById(id)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Petition", id)))
                .flatMap(p -> {
                    Mono<Void> allowed = approve
                            ? notOwn(caller, p).then(grants.requireMayGive(caller, p.nodePath(), p.privilege()))
                            : grants.requireGrantManage(caller, p.nodePath());
                    return allowed
                        .then(Mono.defer(() -> petitions.decide(id, status, caller.subject(), Times.now())))
                        .flatMap(changed -> {
                            if (!changed) {
                                return Mono.error(Problems.conflict("Petition " + id + " was already decided."));
                            }
                            return approve ? grants.ensure(p.subject(), p.nodePath(), p.privilege(), caller.subject()) : Mono.<Void>empty();
                        })
                        .as(tx::transactional)
                        .then(events.publish(new PetitionDecided(Events.newId(), Events.now(), "auth-service", p.nodePath(),
                                p.id(), p.subject(), p.privilege(), status, caller.subject())))
                        .then(petitions.findById(id));
                });
    }

    /** 403 if the petition is the caller's own: filed by them, or by one of their API tokens (or their owner). */
    private Mono<Void> notOwn(Caller caller, Petition p) {
        Mono<String> petitioner = p.subject().startsWith("token:")
                ? tokens.findOwner(Long.parseLong(p.subject().substring(6))).defaultIfEmpty("")
                : Mono.just(p.subject().substring("user:".length()));
        return petitioner.flatMap(user -> p.subject().equals(caller.subject()) || user.equals(caller.username())
                ? Mono.error(Problems.forbidden("You cannot approve your own petition; someone else has to."))
                : Mono.<Void>empty());
    }

    static final List<String> STATUSES = List.of("pending", "approved", "rejected");
}
