package dev.loki.asset.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.asset.idc.IdcRepository;
import dev.loki.events.Events;
import dev.loki.events.ServerCreated;
import dev.loki.events.ServerDeleted;
import dev.loki.events.ServerStatusChanged;
import dev.loki.events.ServerUpdated;
import dev.loki.events.Streams;
import dev.loki.support.EventPublisher;
import dev.loki.support.FieldError;
import dev.loki.support.LokiProblem;
import dev.loki.support.LokiProperties;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The inventory's rules: uniqueness, references, the lifecycle, and an event for every change. */
@Service
public class ServerService {

    static final String SOURCE = "asset-service";

    /**
     * Concurrent writes (imports run rows in parallel) can meet in InnoDB's unique-index locks; the
     * database then aborts one transaction as a deadlock, which is safe to run again.
     */
    private static final reactor.util.retry.Retry DEADLOCKS = reactor.util.retry.Retry
            .backoff(10, java.time.Duration.ofMillis(10)).jitter(0.5)
            .filter(org.springframework.dao.TransientDataAccessException.class::isInstance);

    /** What an upsert did. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    private final ServerRepository servers;
    private final IdcRepository idcs;
    private final TransactionalOperator tx;
    private final EventPublisher events;
    private final ServerListCache listCache;
    private final String retirements;

    ServerService(ServerRepository servers, IdcRepository idcs, TransactionalOperator tx, EventPublisher events,
                  ServerListCache listCache, LokiProperties loki) {
        this.listCache = listCache;
        this.retirements = loki.redis().keyPrefix() + Streams.ASSET_SERVER_RETIREMENTS;
        this.servers = servers;
        this.idcs = idcs;
        this.tx = tx;
        this.events = events;
    }

    Mono<Page<Server>> list(ServerRepository.Filter filter, int page, int size) {
        Page.check(page, size);
        return listCache.get(filter, page, size, () -> servers.find(filter, size, (long) page * size).collectList()
                .zipWith(servers.count(filter), (items, total) -> new Page<>(items, page, size, total)));
    }

    Mono<Server> get(long id) {
        return servers.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Server", id)));
    }

    Mono<Server> byHostname(String hostname) {
        return servers.findByHostname(hostname).switchIfEmpty(Mono.error(() -> Problems.notFound("Server", hostname)));
    }

    public Mono<Server> create(ServerFields fields, ServerStatus status) {
        if (status == ServerStatus.OFFLINE) {
            return Mono.error(Problems.invalid("status", "a new server cannot start offline"));
        }
        Instant now = Times.now();
        return checkReferences(fields, 0)
                .then(Mono.defer(() -> servers.insert(fields, status.wire(), now)))
                .as(tx::transactional)
                .retryWhen(DEADLOCKS)
                .onErrorMap(DataIntegrityViolationException.class, ServerService::conflict)
                .doOnSuccess(x -> listCache.invalidate())
                .flatMap(servers::findById)
                .flatMap(s -> events.publish(new ServerCreated(Events.newId(), Events.now(), SOURCE, s.snapshot())).thenReturn(s));
    }

    Mono<Server> update(long id, ServerRequests.UpdateServerRequest request) {
        return get(id).flatMap(before -> {
            ServerFields fields = ServerFields.of(before).with(request);
            ServerStatus from = ServerStatus.of(before.status()).orElseThrow();
            ServerStatus to = request.status() == null ? from : ServerStatus.of(request.status()).orElseThrow();
            return change(before, fields, from, to);
        });
    }

    /** Applies new fields and/or a new status to a stored server, with the events that follow. */
    Mono<Server> change(Server before, ServerFields fields, ServerStatus from, ServerStatus to) {
        if (!from.canBecome(to)) {
            return Mono.error(illegalTransition(from, to));
        }
        boolean fieldsChanged = !fields.sameAs(ServerFields.of(before));
        if (!fieldsChanged && from == to) {
            return Mono.just(before);
        }
        return (fieldsChanged ? checkReferences(fields, before.id()) : Mono.<Void>empty())
                .then(Mono.defer(() -> servers.update(before.id(), fields, to.wire(), Times.now())))
                .as(tx::transactional)
                .retryWhen(DEADLOCKS)
                .onErrorMap(DataIntegrityViolationException.class, ServerService::conflict)
                .doOnSuccess(x -> listCache.invalidate())
                .then(Mono.defer(() -> servers.findById(before.id())))
                .flatMap(after -> {
                    Mono<Void> updated = fieldsChanged
                            ? events.publish(new ServerUpdated(Events.newId(), Events.now(), SOURCE, after.id(), after.hostname(),
                                    before.snapshot(), after.snapshot()))
                            : Mono.empty();
                    ServerStatusChanged statusChanged = new ServerStatusChanged(Events.newId(), Events.now(), SOURCE, after.id(),
                            after.hostname(), from.wire(), to.wire());
                    // retiring a server must reach the tree's bindings even if ptree-service is down: a stream
                    Mono<Void> moved = from == to ? Mono.empty()
                            : to == ServerStatus.OFFLINE ? events.append(retirements, statusChanged) : events.publish(statusChanged);
                    return updated.then(moved).thenReturn(after);
                });
    }

    Mono<Void> delete(long id) {
        return get(id).flatMap(server -> servers.countGuests(id).flatMap(guests -> guests > 0
                ? Mono.<Void>error(Problems.conflict(server.hostname() + " still hosts " + guests
                        + " virtual machine(s); move or delete them first."))
                : servers.delete(id).doOnSuccess(x -> listCache.invalidate()).then(events.append(retirements, new ServerDeleted(Events.newId(), Events.now(), SOURCE, server.snapshot())))));
    }

    /** Agent registration: a new serial number appears as creating, then goes online; a known one is updated. */
    Mono<Server> register(ServerRequests.RegisterRequest request) {
        return servers.findBySn(request.sn())
                .flatMap(existing -> {
                    ServerStatus status = ServerStatus.of(existing.status()).orElseThrow();
                    ServerStatus to = status == ServerStatus.CREATING ? ServerStatus.ONLINE : status;
                    return change(existing, ServerFields.of(existing).with(request), status, to);
                })
                .switchIfEmpty(Mono.defer(() -> create(ServerFields.of(request), ServerStatus.CREATING)
                        .flatMap(created -> change(created, ServerFields.of(created), ServerStatus.CREATING, ServerStatus.ONLINE))));
    }

    /** Import one row: insert by serial number, or update the existing server with that serial number. */
    public Mono<Outcome> upsert(ServerFields fields, ServerStatus status, Server existing) {
        if (existing == null) {
            return create(fields, status == null ? ServerStatus.CREATING : status).thenReturn(Outcome.CREATED);
        }
        ServerStatus from = ServerStatus.of(existing.status()).orElseThrow();
        ServerStatus to = status == null ? from : status;
        if (fields.sameAs(ServerFields.of(existing)) && from == to) {
            return Mono.just(Outcome.UNCHANGED);
        }
        return change(existing, fields, from, to).thenReturn(Outcome.UPDATED);
    }

    private Mono<Void> checkReferences(ServerFields fields, long self) {
        List<FieldError> errors = new ArrayList<>();
        Mono<Void> idc = fields.idc() == null ? Mono.empty() : idcs.findByName(fields.idc()).hasElement()
                .doOnNext(exists -> {
                    if (!exists) {
                        errors.add(new FieldError("idc", "no such IDC: " + fields.idc() + " (create it with POST /api/asset/idcs)"));
                    }
                }).then();
        Mono<Void> host;
        if (!fields.isGuest()) {
            if (fields.vmHostId() != null) {
                errors.add(new FieldError("vmHostId", "only vm and kvm servers have a host"));
            }
            host = Mono.empty();
        } else if (fields.vmHostId() == null) {
            errors.add(new FieldError("vmHostId", "a " + fields.type() + " server must name its host (vmHostId)"));
            host = Mono.empty();
        } else {
            host = servers.findById(fields.vmHostId()).map(h -> h.id() != self && "raw".equals(h.type())).defaultIfEmpty(false)
                    .doOnNext(ok -> {
                        if (!ok) {
                            errors.add(new FieldError("vmHostId", "no raw server with id " + fields.vmHostId()));
                        }
                    }).then();
        }
        Mono<Map<String, String>> ips = servers.privateIpOwners(fields.privateIps(), self);
        return Flux.concat(idc, host).then(ips).flatMap(taken -> {
            if (!errors.isEmpty()) {
                return Mono.error(Problems.invalid(errors));
            }
            if (!taken.isEmpty()) {
                String which = taken.entrySet().stream().map(e -> e.getKey() + " (used by " + e.getValue() + ")").sorted()
                        .reduce((a, b) -> a + ", " + b).orElse("");
                return Mono.error(Problems.conflict("privateIps", "already in use: " + which));
            }
            return Mono.empty();
        });
    }

    private static Throwable conflict(DataIntegrityViolationException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("uk_servers_hostname")) {
            return Problems.conflict("hostname", "a server with this hostname already exists");
        }
        if (message.contains("uk_servers_sn")) {
            return Problems.conflict("sn", "a server with this serial number already exists");
        }
        if (message.contains("server_private_ips") || message.contains("PRIMARY")) {
            return Problems.conflict("privateIps", "an address is already in use by another server");
        }
        if (message.contains("fk_servers_vm_host")) {
            return Problems.invalid("vmHostId", "no such server");
        }
        return Problems.conflict("The change conflicts with stored data.");
    }

    static LokiProblem illegalTransition(ServerStatus from, ServerStatus to) {
        LokiProblem problem = new LokiProblem(HttpStatus.CONFLICT, "illegal-transition", "Illegal status change",
                "A server cannot go from " + from.wire() + " to " + to.wire() + "; from " + from.wire() + " it may go to: "
                        + (from.next().isEmpty() ? "nothing (final)" : String.join(", ", from.nextWire())) + ".");
        problem.getBody().setProperty("allowed", from.nextWire());
        return problem;
    }
}
