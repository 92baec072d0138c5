package dev.loki.asset.allocation;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class AllocationRepository {

    private final DatabaseClient db;

    AllocationRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Integer> maxNumber(String prefix) {
        return db.sql("SELECT COALESCE(MAX(number), 0) FROM allocations WHERE prefix = :p").bind("p", prefix)
                .map(r -> r.get(0, Integer.class)).one().defaultIfEmpty(0);
    }

    Flux<String> ips() {
        return db.sql("SELECT private_ip FROM allocations").map(r -> r.get(0, String.class)).all();
    }

    Mono<Long> insert(String idc, String prefix, int number, String hostname, String ip, String by, Instant now) {
        return db.sql("INSERT INTO allocations (idc, prefix, number, hostname, private_ip, allocated_by, created_at) "
                        + "VALUES (:idc, :p, :n, :h, :ip, :by, :c)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("idc", idc).bind("p", prefix).bind("n", number).bind("h", hostname).bind("ip", ip).bind("by", by)
                .bind("c", Times.utc(now))
                .map(r -> r.get(0, Long.class)).one();
    }

    Mono<Allocation> findById(long id) {
        return db.sql("SELECT id, idc, hostname, private_ip, allocated_by, created_at FROM allocations WHERE id = :id")
                .bind("id", id).map(AllocationRepository::allocation).one();
    }

    private static Allocation allocation(Readable r) {
        return new Allocation(r.get("id", Long.class), r.get("idc", String.class), r.get("hostname", String.class),
                r.get("private_ip", String.class), r.get("allocated_by", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
