package dev.loki.alarm.alarm;

import java.time.Instant;
import java.util.List;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.alarm.notify.Incidents;
import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.AlarmAcknowledged;
import dev.loki.events.AlarmRaised;
import dev.loki.events.AlarmResolved;
import dev.loki.events.Events;
import dev.loki.events.LokiEvent;
import dev.loki.support.EventPublisher;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * An alarm's lifecycle: firing → acknowledged → resolved, and firing again (the same alarm re-opened) when
 * its source reports it within {@code loki.alarm.reopen-window} of being resolved. Every change is one
 * transaction, recorded in the alarm's activity; events go out after it commits. Two replicas applying
 * signals of one fingerprint at once still make one open alarm: the unique open fingerprint decides, and
 * the loser applies its signal as a repeat.
 */
@Service
public class AlarmService {

    static final String SOURCE = "alarm-service";
    /**
     * Two writers on one fingerprint: the unique open fingerprint refuses the second insert, or InnoDB picks one
     * as a deadlock victim (both held the gap lock of the missing row); the loser runs again and finds the winner's alarm.
     */
    private static final Retry RACES = Retry.max(3).filter(e -> e instanceof DataIntegrityViolationException
            || e instanceof org.springframework.dao.PessimisticLockingFailureException);

    private final AlarmRepository alarms;
    private final TransactionalOperator tx;
    private final EventPublisher events;
    private final AlarmProperties properties;
    private final Incidents incidents;

    AlarmService(AlarmRepository alarms, TransactionalOperator tx, EventPublisher events, AlarmProperties properties, Incidents incidents) {
        this.alarms = alarms;
        this.tx = tx;
        this.events = events;
        this.properties = properties;
        this.incidents = incidents;
    }

    /** What a signal did. */
    public enum Effect { CREATED, REOPENED, REPEATED, RESOLVED }

    public record Outcome(long alarmId, Effect effect) {
    }

    /** Applies a signal: a new alarm, a re-opened one, or one more report of the open one. */
    public Mono<Outcome> fire(Signal signal) {
        return apply(signal).as(tx::transactional)
                // another replica opened this fingerprint's alarm between our look and our write: now it is a repeat
                .retryWhen(RACES)
                .flatMap(c -> publish(c).thenReturn(c.outcome()));
    }

    /**
     * Applies the stream entry {@code eventId} once: a redelivered entry changes nothing. {@code work} runs
     * in the same transaction as the mark, and its events go out after the commit.
     */
    public Mono<Void> applyOnce(String eventId, Signal fires, String clears) {
        Mono<Changed> work = fires != null ? apply(fires) : clearOpen(clears, null, "cleared");
        return alarms.markApplied(eventId, Times.now())
                .flatMap(fresh -> fresh ? work : Mono.<Changed>empty())
                .as(tx::transactional)
                .retryWhen(RACES)
                .flatMap(this::publish)
                .then();
    }

    private Mono<Changed> apply(Signal s) {
        return alarms.lockOpen(s.fingerprint())
                .flatMap(open -> alarms.repeat(open.id(), s).thenReturn(new Changed(new Outcome(open.id(), Effect.REPEATED), null)))
                .switchIfEmpty(Mono.defer(() -> alarms.lockResolvedSince(s.fingerprint(), s.at().minus(properties.reopenWindow()))
                        .flatMap(resolved -> alarms.reopen(resolved.id(), s)
                                .then(alarms.record(resolved.id(), s.at(), null, "reopened", "reported again by " + s.source()))
                                .then(join(resolved.id(), s))
                                .thenReturn(new Changed(new Outcome(resolved.id(), Effect.REOPENED), raised(resolved.id(), s, true))))
                        .switchIfEmpty(Mono.defer(() -> alarms.insert(s)
                                .flatMap(id -> alarms.record(id, s.at(), null, "raised", "reported by " + s.source())
                                        .then(join(id, s))
                                        .thenReturn(new Changed(new Outcome(id, Effect.CREATED), raised(id, s, false))))))));
    }

    /** An opened alarm joins its incident (notified once per incident, after its group wait). */
    private Mono<Void> join(long alarmId, Signal s) {
        return incidents.join(alarmId, s.nodePath(), s.ruleId(), s.fingerprint(), s.ruleName(), s.title(), s.severity(), s.at());
    }

    /** Resolves the open alarm of {@code fingerprint}, if there is one; its id. */
    public Mono<Long> clear(String fingerprint, String by, String resolution) {
        return clearOpen(fingerprint, by, resolution).as(tx::transactional)
                .flatMap(c -> publish(c).thenReturn(c.outcome().alarmId()));
    }

    private Mono<Changed> clearOpen(String fingerprint, String by, String resolution) {
        return alarms.lockOpen(fingerprint).flatMap(open -> resolveLocked(open, by, resolution, null));
    }

    private Mono<Changed> resolveLocked(Alarm open, String by, String resolution, String text) {
        Instant now = Times.now();
        return alarms.resolve(open.id(), by, resolution, now)
                .then(alarms.record(open.id(), now, by, "resolved", text != null ? text : switch (resolution) {
                    case "cleared" -> "cleared by its source";
                    case "retired" -> "its host was retired";
                    default -> null;
                }))
                .then(incidents.alarmClosed(open.id()))
                .thenReturn(new Changed(new Outcome(open.id(), Effect.RESOLVED),
                        new AlarmResolved(Events.newId(), Events.now(), SOURCE, open.nodePath(), open.id(), open.fingerprint(), by, resolution)));
    }

    /**
     * The stream entry {@code eventId}, applied once: {@code hostname} was retired at {@code at}, which resolves
     * its open alarms raised until then (not those of a later server given the same name).
     */
    public Mono<Void> retireOnce(String eventId, String hostname, Instant at) {
        return alarms.markApplied(eventId, Times.now())
                .flatMapMany(fresh -> fresh ? alarms.lockOpenOfHost(hostname) : Flux.<Alarm>empty())
                .filter(open -> !open.firstSeenAt().isAfter(at))
                .concatMap(open -> resolveLocked(open, null, "retired", null))
                .collectList()
                .as(tx::transactional)
                .retryWhen(RACES)
                .flatMapMany(Flux::fromIterable)
                .concatMap(this::publish)
                .then();
    }

    /** Alarms follow their node's rename or move (in the caller's transaction: the path-change log's position moves with it). */
    Mono<Void> movePaths(String from, String to) {
        return alarms.movePaths(from, to);
    }

    /**
     * The node {@code path} was deleted at {@code at}: its subtree's open alarms raised until then are resolved
     * ({@code retired}) in the caller's transaction; their events go out after it commits.
     */
    Mono<Void> nodeDeleted(String path, Instant at) {
        return alarms.lockOpenBelow(path, at)
                .concatMap(open -> resolveLocked(open, null, "retired", "its node " + path + " was deleted"))
                .collectList()
                .flatMap(changes -> TransactionSynchronizationManager.forCurrentTransaction()
                        // published once the follower's transaction commits (a rolled-back one applies the entry again)
                        .doOnNext(sync -> sync.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public Mono<Void> afterCommit() {
                                return Flux.fromIterable(changes).concatMap(AlarmService.this::publish).then();
                            }
                        }))
                        .then()
                        .onErrorResume(NoTransactionException.class, e -> Flux.fromIterable(changes).concatMap(this::publish).then()));
    }

    Mono<Alarm> get(long id) {
        return alarms.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Alarm", id)));
    }

    Mono<Alarm> details(long id) {
        return get(id).flatMap(a -> alarms.activity(id).collectList().map(a::withDetails));
    }

    /** firing → acknowledged; 409 from any other status, naming what is allowed there. */
    Mono<Alarm> acknowledge(long id, String by, String note) {
        return locked(id).flatMap(a -> {
                    if (!Alarm.FIRING.equals(a.status())) {
                        return Mono.error(illegal(a, "acknowledge"));
                    }
                    Instant now = Times.now();
                    return alarms.acknowledge(id, by, now).then(alarms.record(id, now, by, "acknowledged", note))
                            .thenReturn(new AlarmAcknowledged(Events.newId(), Events.now(), SOURCE, a.nodePath(), id, a.fingerprint(), by, note));
                })
                .as(tx::transactional)
                .flatMap(events::publish)
                .then(Mono.defer(() -> details(id)));
    }

    /** firing or acknowledged → resolved; 409 when it is resolved already. */
    Mono<Alarm> resolve(long id, String by, String note) {
        return locked(id).flatMap(a -> a.open() ? resolveLocked(a, by, "manual", note) : Mono.error(illegal(a, "resolve")))
                .as(tx::transactional)
                .flatMap(this::publish)
                .then(Mono.defer(() -> details(id)));
    }

    Mono<Alarm> note(long id, String by, String text) {
        return locked(id).flatMap(a -> alarms.record(id, Times.now(), by, "note", text)).as(tx::transactional)
                .then(Mono.defer(() -> details(id)));
    }

    /** Records that {@code by} rolled back a deployment from the alarm. */
    Mono<Void> rolledBack(long id, String by, String text) {
        return alarms.record(id, Times.now(), by, "rollback", text);
    }

    private Mono<Alarm> locked(long id) {
        return alarms.lock(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Alarm", id)));
    }

    /** The transitions an alarm in {@code status} allows. */
    static List<String> allowed(String status) {
        return switch (status) {
            case Alarm.FIRING -> List.of("acknowledge", "resolve", "note");
            case Alarm.ACKNOWLEDGED -> List.of("resolve", "note");
            default -> List.of("note");
        };
    }

    private static RuntimeException illegal(Alarm a, String action) {
        return Problems.illegalTransition("Alarm " + a.id() + " is " + a.status() + ": it cannot " + action + "; allowed: "
                + String.join(", ", allowed(a.status())) + ".", a.status(), allowed(a.status()));
    }

    private AlarmRaised raised(long id, Signal s, boolean reopened) {
        return new AlarmRaised(Events.newId(), Events.now(), SOURCE, s.nodePath(), id, s.fingerprint(), s.hostname(), s.severity(), s.title(), reopened);
    }

    /** A change made, and the event to publish once it is committed (none for a repeat). */
    private record Changed(Outcome outcome, LokiEvent event) {
    }

    private Mono<Void> publish(Changed change) {
        return change.event() == null ? Mono.empty() : events.publish(change.event());
    }
}
