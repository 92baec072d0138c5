package dev.loki.asset.allocation;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Privilege;
import dev.loki.support.Caller;
import dev.loki.support.Permissions;
import reactor.core.publisher.Mono;

@RestController
class AllocationController {

    record AllocationRequest(
            @NotNull String idc,
            @NotNull @Pattern(regexp = "^[a-z][a-z0-9-]{0,39}$", message = "lower-case letters, digits or '-', starting with a letter, at most 40")
            String hostnamePrefix) {
    }

    private final AllocationService allocations;
    private final Permissions permissions;

    AllocationController(AllocationService allocations, Permissions permissions) {
        this.allocations = allocations;
        this.permissions = permissions;
    }

    @PostMapping("/api/asset/allocations")
    Mono<ResponseEntity<Allocation>> allocate(@Valid @RequestBody AllocationRequest request) {
        return permissions.require("/", Privilege.ASSET_MANAGE)
                .then(Caller.current())
                .flatMap(caller -> allocations.allocate(request.idc(), request.hostnamePrefix(), caller.subject()))
                .map(a -> ResponseEntity.created(URI.create("/api/asset/allocations/" + a.id())).body(a));
    }

    @GetMapping("/api/asset/allocations/{id}")
    Mono<Allocation> get(@PathVariable long id) {
        return allocations.get(id);
    }
}
