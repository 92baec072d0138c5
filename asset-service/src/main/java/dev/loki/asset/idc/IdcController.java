package dev.loki.asset.idc;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Privilege;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import reactor.core.publisher.Mono;

/** Data centres: {@code GET/POST /api/asset/idcs}. */
@RestController
class IdcController {

    record CreateIdcRequest(
            @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9_-]{0,63}$", message = "lower-case letters, digits, '_' or '-', at most 64") String name,
            @Size(max = 128) String location,
            @NotNull @Size(max = 49) String network) {
    }

    private final IdcRepository idcs;
    private final Permissions permissions;

    IdcController(IdcRepository idcs, Permissions permissions) {
        this.idcs = idcs;
        this.permissions = permissions;
    }

    @GetMapping("/api/asset/idcs")
    Mono<Page<Idc>> list() {
        return idcs.findAll().collectList().map(items -> new Page<>(items, 0, items.size(), items.size()));
    }

    @PostMapping("/api/asset/idcs")
    Mono<ResponseEntity<Idc>> create(@Valid @RequestBody CreateIdcRequest request) {
        Cidr network = Cidr.parse(request.network())
                .orElseThrow(() -> Problems.invalid("network", "must be a CIDR network like 10.77.0.0/16 (IPv4 /8../32, IPv6 /16../128)"));
        return permissions.require("/", Privilege.ASSET_MANAGE)
                .then(Mono.defer(() -> idcs.insert(request.name(), request.location() == null ? "" : request.location().strip(),
                        network.toString(), Times.now())))
                .onErrorMap(DataIntegrityViolationException.class, e -> Problems.conflict("IDC '" + request.name() + "' already exists."))
                .then(Mono.defer(() -> idcs.findByName(request.name())))
                .map(idc -> ResponseEntity.created(URI.create("/api/asset/idcs/" + idc.name())).body(idc));
    }
}
