package dev.loki.asset.allocation;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.asset.idc.Cidr;
import dev.loki.asset.idc.IdcRepository;
import dev.loki.asset.server.ServerRepository;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Hands out the next hostname for a prefix ({@code web0041} → {@code web0042}) and the lowest free
 * address of the IDC's network, and records both so no later call gets either again. Calls for one
 * IDC take turns on a row lock; a collision across IDCs (same prefix) is retried.
 */
@Service
class AllocationService {

    private final AllocationRepository allocations;
    private final IdcRepository idcs;
    private final ServerRepository servers;
    private final TransactionalOperator tx;

    AllocationService(AllocationRepository allocations, IdcRepository idcs, ServerRepository servers, TransactionalOperator tx) {
        this.allocations = allocations;
        this.idcs = idcs;
        this.servers = servers;
        this.tx = tx;
    }

    Mono<Allocation> allocate(String idcName, String prefix, String actor) {
        return Mono.defer(() -> idcs.lockByName(idcName)
                        .switchIfEmpty(Mono.error(() -> Problems.invalid("idc", "no such IDC: " + idcName)))
                        .flatMap(idc -> {
                            Cidr network = Cidr.parse(idc.network()).orElseThrow();
                            return nextNumber(prefix).zipWith(freeAddress(network))
                                    .flatMap(next -> {
                                        String hostname = prefix + String.format("%0" + next.getT1().width() + "d", next.getT1().number());
                                        return allocations.insert(idc.name(), prefix, next.getT1().number(), hostname, next.getT2(), actor, Times.now());
                                    });
                        })
                        .as(tx::transactional))
                .retryWhen(Retry.backoff(8, Duration.ofMillis(10)).filter(DataIntegrityViolationException.class::isInstance))
                .flatMap(allocations::findById);
    }

    Mono<Allocation> get(long id) {
        return allocations.findById(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Allocation", id)));
    }

    record Next(int number, int width) {
    }

    /** One more than the highest number used by servers or earlier allocations with this prefix. */
    private Mono<Next> nextNumber(String prefix) {
        Pattern numbered = Pattern.compile("^" + Pattern.quote(prefix) + "(\\d{1,9})$");
        return servers.hostnamesLike(prefix)
                .map(numbered::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .reduce(new Next(0, 4), (max, digits) -> new Next(Math.max(max.number(), Integer.parseInt(digits)),
                        Math.max(max.width(), digits.length())))
                .zipWith(allocations.maxNumber(prefix), (fromServers, allocated) ->
                        new Next(Math.max(fromServers.number(), allocated) + 1, fromServers.width()));
    }

    /** The lowest address of the network that no server has and no allocation holds. */
    private Mono<String> freeAddress(Cidr network) {
        return servers.allPrivateIps().concatWith(allocations.ips()).filter(network::contains)
                .collect(HashSet<String>::new, Set::add)
                .flatMap(used -> {
                    for (BigInteger n = network.firstAssignable(); n.compareTo(network.lastAssignable()) <= 0; n = n.add(BigInteger.ONE)) {
                        String candidate = network.address(n);
                        if (!used.contains(candidate)) {
                            return Mono.just(candidate);
                        }
                    }
                    return Mono.error(Problems.conflict("The network " + network + " has no free address left."));
                });
    }
}
