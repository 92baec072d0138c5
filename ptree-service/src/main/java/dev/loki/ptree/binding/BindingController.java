package dev.loki.ptree.binding;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

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

import dev.loki.events.Hostname;
import reactor.core.publisher.Mono;

/** Servers on a node; changes need {@code server.manage} on the node. */
@RestController
class BindingController {

    record BindRequest(@NotEmpty @Size(max = 500) List<@NotNull @Pattern(regexp = Hostname.PATTERN, message = "must be a hostname") String> hostnames) {
    }

    record UpdateBindingRequest(@DecimalMin("0.0") @DecimalMax("1.0") Double trafficRatio, Boolean offline) {
    }

    private final BindingService bindings;

    BindingController(BindingService bindings) {
        this.bindings = bindings;
    }

    @GetMapping("/api/ptree/nodes/{id}/servers")
    Mono<List<BindingService.BoundServer>> list(@PathVariable long id, @RequestParam(defaultValue = "false") boolean recursive) {
        return bindings.list(id, recursive);
    }

    @PostMapping("/api/ptree/nodes/{id}/servers")
    Mono<ResponseEntity<List<BindingService.BoundServer>>> bind(@PathVariable long id, @Valid @RequestBody BindRequest request) {
        return bindings.bind(id, request.hostnames())
                .map(list -> ResponseEntity.created(URI.create("/api/ptree/nodes/" + id + "/servers")).body(list));
    }

    @PatchMapping("/api/ptree/nodes/{id}/servers/{hostname}")
    Mono<BindingService.BoundServer> update(@PathVariable long id, @PathVariable String hostname,
                                            @Valid @RequestBody UpdateBindingRequest request) {
        return bindings.update(id, hostname, request.trafficRatio(), request.offline());
    }

    @DeleteMapping("/api/ptree/nodes/{id}/servers/{hostname}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unbind(@PathVariable long id, @PathVariable String hostname) {
        return bindings.unbind(id, hostname);
    }

    @GetMapping("/api/ptree/servers/{hostname}/nodes")
    Mono<List<Map<String, Object>>> nodesOf(@PathVariable String hostname) {
        return bindings.nodesOf(hostname);
    }
}
