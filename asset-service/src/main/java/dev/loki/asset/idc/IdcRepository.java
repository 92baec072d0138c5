package dev.loki.asset.idc;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class IdcRepository {

    private final DatabaseClient db;

    IdcRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Idc> findByName(String name) {
        return db.sql("SELECT id, name, location, network, created_at FROM idcs WHERE name = :n").bind("n", name)
                .map(IdcRepository::idc).one();
    }

    /** Reads the IDC and locks its row until the transaction ends: allocations in one IDC take turns. */
    public Mono<Idc> lockByName(String name) {
        return db.sql("SELECT id, name, location, network, created_at FROM idcs WHERE name = :n FOR UPDATE").bind("n", name)
                .map(IdcRepository::idc).one();
    }

    Flux<Idc> findAll() {
        return db.sql("SELECT id, name, location, network, created_at FROM idcs ORDER BY name").map(IdcRepository::idc).all();
    }

    Mono<Long> insert(String name, String location, String network, Instant now) {
        return db.sql("INSERT INTO idcs (name, location, network, created_at) VALUES (:n, :l, :net, :c)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("n", name).bind("l", location).bind("net", network).bind("c", Times.utc(now))
                .map(r -> r.get(0, Long.class)).one();
    }

    private static Idc idc(Readable r) {
        return new Idc(r.get("id", Long.class), r.get("name", String.class), r.get("location", String.class),
                r.get("network", String.class), Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
