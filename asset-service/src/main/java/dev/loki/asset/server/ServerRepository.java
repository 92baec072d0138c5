package dev.loki.asset.server;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class ServerRepository {

    private static final String COLUMNS = "id, hostname, sn, type, vm_host_id, idc, private_ips, public_ips, macs, "
            + "cpu_cores, memory_mb, disk_gb, os, status, created_at, updated_at";

    /** List filters; null means "any". {@code hostname} and {@code q} match fragments. */
    public record Filter(String hostname, String idc, String status, String type, String q) {
    }

    private final DatabaseClient db;

    ServerRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Server> findById(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM servers WHERE id = :id").bind("id", id).map(ServerRepository::server).one();
    }

    public Mono<Server> findByHostname(String hostname) {
        return db.sql("SELECT " + COLUMNS + " FROM servers WHERE hostname = :h").bind("h", hostname).map(ServerRepository::server).one();
    }

    public Mono<Server> findBySn(String sn) {
        return db.sql("SELECT " + COLUMNS + " FROM servers WHERE sn = :s").bind("s", sn).map(ServerRepository::server).one();
    }

    /** The status of each of these hostnames that is a server, by hostname. */
    Mono<Map<String, String>> statuses(Collection<String> hostnames) {
        if (hostnames.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT hostname, status FROM servers WHERE hostname IN (:h)").bind("h", List.copyOf(hostnames))
                .map(r -> Map.entry(r.get("hostname", String.class), r.get("status", String.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** Existing servers with any of these serial numbers, by serial number. */
    public Mono<Map<String, Server>> findBySns(Collection<String> sns) {
        if (sns.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT " + COLUMNS + " FROM servers WHERE sn IN (:s)").bind("s", List.copyOf(sns))
                .map(ServerRepository::server).all().collectMap(Server::sn);
    }

    Flux<Server> find(Filter filter, int limit, long offset) {
        var spec = db.sql("SELECT " + COLUMNS + " FROM servers" + where(filter) + " ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset);
        return bind(spec, filter).map(ServerRepository::server).all();
    }

    Mono<Long> count(Filter filter) {
        return bind(db.sql("SELECT COUNT(*) FROM servers" + where(filter)), filter).map(r -> r.get(0, Long.class)).one();
    }

    /** Which of these private addresses are taken, and by which hostname (ignoring server {@code except}). */
    public Mono<Map<String, String>> privateIpOwners(Collection<String> ips, long except) {
        if (ips.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT p.ip, s.hostname FROM server_private_ips p JOIN servers s ON s.id = p.server_id "
                        + "WHERE p.ip IN (:ips) AND p.server_id <> :except")
                .bind("ips", List.copyOf(ips)).bind("except", except)
                .map(r -> Map.entry(r.get(0, String.class), r.get(1, String.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    public Mono<Long> countGuests(long hostId) {
        return db.sql("SELECT COUNT(*) FROM servers WHERE vm_host_id = :id").bind("id", hostId).map(r -> r.get(0, Long.class)).one();
    }

    public Flux<String> allPrivateIps() {
        return db.sql("SELECT ip FROM server_private_ips").map(r -> r.get(0, String.class)).all();
    }

    public Flux<String> hostnamesLike(String prefix) {
        return db.sql("SELECT hostname FROM servers WHERE hostname LIKE :p").bind("p", escapeLike(prefix) + "%")
                .map(r -> r.get(0, String.class)).all();
    }

    public Mono<Long> insert(ServerFields f, String status, Instant now) {
        var spec = db.sql("INSERT INTO servers (hostname, sn, type, vm_host_id, idc, private_ips, public_ips, macs, cpu_cores, "
                        + "memory_mb, disk_gb, os, status, created_at, updated_at) VALUES (:hostname, :sn, :type, :vmHostId, :idc, "
                        + ":privateIps, :publicIps, :macs, :cpu, :mem, :disk, :os, :status, :now, :now)")
                .filter(s -> s.returnGeneratedValues("id"))
                .bind("status", status).bind("now", Times.utc(now));
        return bindFields(spec, f).map(r -> r.get(0, Long.class)).one()
                .flatMap(id -> insertPrivateIps(id, f.privateIps()).thenReturn(id));
    }

    public Mono<Void> update(long id, ServerFields f, String status, Instant now) {
        var spec = db.sql("UPDATE servers SET hostname = :hostname, sn = :sn, type = :type, vm_host_id = :vmHostId, idc = :idc, "
                        + "private_ips = :privateIps, public_ips = :publicIps, macs = :macs, cpu_cores = :cpu, memory_mb = :mem, "
                        + "disk_gb = :disk, os = :os, status = :status, updated_at = :now WHERE id = :id")
                .bind("status", status).bind("now", Times.utc(now)).bind("id", id);
        return bindFields(spec, f).then().then(replacePrivateIps(id, f.privateIps()));
    }

    Mono<Long> delete(long id) {
        return db.sql("DELETE FROM servers WHERE id = :id").bind("id", id).fetch().rowsUpdated();
    }

    /** Deletes only when the server had addresses: an empty DELETE still takes gap locks that make concurrent inserts deadlock. */
    private Mono<Void> replacePrivateIps(long id, List<String> ips) {
        return db.sql("SELECT COUNT(*) FROM server_private_ips WHERE server_id = :id").bind("id", id)
                .map(r -> r.get(0, Long.class)).one()
                .flatMap(n -> n == 0 ? Mono.<Void>empty()
                        : db.sql("DELETE FROM server_private_ips WHERE server_id = :id").bind("id", id).then())
                .then(insertPrivateIps(id, ips));
    }

    private Mono<Void> insertPrivateIps(long id, List<String> ips) {
        if (ips.isEmpty()) {
            return Mono.empty();
        }
        StringBuilder sql = new StringBuilder("INSERT INTO server_private_ips (ip, server_id) VALUES ");
        for (int i = 0; i < ips.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:ip").append(i).append(", :id)");
        }
        var spec = db.sql(sql.toString()).bind("id", id);
        for (int i = 0; i < ips.size(); i++) {
            spec = spec.bind("ip" + i, ips.get(i));
        }
        return spec.then();
    }

    private static DatabaseClient.GenericExecuteSpec bindFields(DatabaseClient.GenericExecuteSpec spec, ServerFields f) {
        spec = spec.bind("hostname", f.hostname()).bind("sn", f.sn()).bind("type", f.type())
                .bind("privateIps", String.join(",", f.privateIps())).bind("publicIps", String.join(",", f.publicIps()))
                .bind("macs", String.join(",", f.macs()));
        spec = nullable(spec, "vmHostId", f.vmHostId(), Long.class);
        spec = nullable(spec, "idc", f.idc(), String.class);
        spec = nullable(spec, "cpu", f.cpuCores(), Integer.class);
        spec = nullable(spec, "mem", f.memoryMb(), Integer.class);
        spec = nullable(spec, "disk", f.diskGb(), Integer.class);
        return nullable(spec, "os", f.os(), String.class);
    }

    private static <T> DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private static String where(Filter f) {
        List<String> clauses = new ArrayList<>();
        if (f.hostname() != null) {
            clauses.add("hostname LIKE :hostname");
        }
        if (f.idc() != null) {
            clauses.add("idc = :idc");
        }
        if (f.status() != null) {
            clauses.add("status = :status");
        }
        if (f.type() != null) {
            clauses.add("type = :type");
        }
        if (f.q() != null) {
            // any case: "debian" finds Debian 13
            clauses.add("(LOWER(hostname) LIKE :q OR LOWER(sn) LIKE :q OR LOWER(private_ips) LIKE :q OR LOWER(public_ips) LIKE :q "
                    + "OR LOWER(os) LIKE :q OR LOWER(idc) LIKE :q)");
        }
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Filter f) {
        if (f.hostname() != null) {
            spec = spec.bind("hostname", "%" + escapeLike(f.hostname()) + "%");
        }
        if (f.idc() != null) {
            spec = spec.bind("idc", f.idc());
        }
        if (f.status() != null) {
            spec = spec.bind("status", f.status());
        }
        if (f.type() != null) {
            spec = spec.bind("type", f.type());
        }
        if (f.q() != null) {
            spec = spec.bind("q", "%" + escapeLike(f.q().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        return spec;
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    private static Server server(Readable r) {
        return new Server(r.get("id", Long.class), r.get("hostname", String.class), r.get("sn", String.class),
                r.get("type", String.class), r.get("vm_host_id", Long.class), r.get("idc", String.class),
                split(r.get("private_ips", String.class)), split(r.get("public_ips", String.class)), split(r.get("macs", String.class)),
                r.get("cpu_cores", Integer.class), r.get("memory_mb", Integer.class), r.get("disk_gb", Integer.class),
                r.get("os", String.class), r.get("status", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)), Times.instant(r.get("updated_at", LocalDateTime.class)));
    }
}
