package dev.loki.asset.server;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Privilege;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/** Servers: reads for any authenticated caller, writes with {@code asset.manage} on {@code /}. */
@RestController
class ServerController {

    static final Privilege PRIVILEGE = Privilege.ASSET_MANAGE;

    private final ServerService servers;
    private final Permissions permissions;

    ServerController(ServerService servers, Permissions permissions) {
        this.servers = servers;
        this.permissions = permissions;
    }

    @GetMapping("/api/asset/servers")
    Mono<Page<Server>> list(@RequestParam(required = false) String hostname, @RequestParam(required = false) String idc,
                            @RequestParam(required = false) String status, @RequestParam(required = false) String type,
                            @RequestParam(required = false) String q,
                            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (status != null && ServerStatus.of(status).isEmpty()) {
            return Mono.error(Problems.invalid("status", ServerRequests.STATUS_MESSAGE));
        }
        if (type != null && !type.matches(ServerRequests.TYPE)) {
            return Mono.error(Problems.invalid("type", ServerRequests.TYPE_MESSAGE));
        }
        return servers.list(new ServerRepository.Filter(blankToNull(hostname), blankToNull(idc), status, type, blankToNull(q)), page, size);
    }

    @GetMapping("/api/asset/servers/{id}")
    Mono<Server> get(@PathVariable long id) {
        return servers.get(id);
    }

    @GetMapping("/api/asset/servers/by-hostname/{hostname}")
    Mono<Server> byHostname(@PathVariable String hostname) {
        return servers.byHostname(hostname);
    }

    @PostMapping("/api/asset/servers")
    Mono<ResponseEntity<Server>> create(@Valid @RequestBody ServerRequests.CreateServerRequest request) {
        ServerStatus status = request.status() == null ? ServerStatus.CREATING : ServerStatus.of(request.status()).orElseThrow();
        return permissions.require("/", PRIVILEGE)
                .then(Mono.defer(() -> servers.create(ServerFields.of(request), status)))
                .map(s -> ResponseEntity.created(URI.create("/api/asset/servers/" + s.id())).body(s));
    }

    @PatchMapping("/api/asset/servers/{id}")
    Mono<Server> update(@PathVariable long id, @Valid @RequestBody ServerRequests.UpdateServerRequest request) {
        return permissions.require("/", PRIVILEGE).then(Mono.defer(() -> servers.update(id, request)));
    }

    @DeleteMapping("/api/asset/servers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return permissions.require("/", PRIVILEGE).then(Mono.defer(() -> servers.delete(id)));
    }

    /** An agent reports its host (upsert by serial number); needs a token with asset.manage. */
    @PostMapping("/api/asset/servers/register")
    Mono<Server> register(@Valid @RequestBody ServerRequests.RegisterRequest request) {
        return permissions.require("/", PRIVILEGE).then(Mono.defer(() -> servers.register(request)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
