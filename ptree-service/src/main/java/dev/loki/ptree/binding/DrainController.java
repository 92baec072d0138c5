package dev.loki.ptree.binding;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.InternalApi;
import dev.loki.ptree.node.NodeController;
import reactor.core.publisher.Mono;

/**
 * Internal, for deploy-service's drains (its driver has no caller token): takes a host out of (or back
 * into) traffic on every binding in a subtree. Protected by the internal token like every
 * {@code /internal/**} endpoint; the deployment that asks was itself started with {@code deploy.run} on the node.
 */
@RestController
class DrainController {

    /** {@code offline} for every binding of {@code hostname} at {@code path} and below. */
    record DrainRequest(@NotNull String path, @NotBlank @Size(max = 253) String hostname, @NotNull Boolean offline) {
    }

    private final BindingService bindings;

    DrainController(BindingService bindings) {
        this.bindings = bindings;
    }

    /** The host's bindings in the subtree as they are now. */
    @PutMapping(InternalApi.DRAIN)
    Mono<List<BindingService.BoundServer>> drain(@Valid @RequestBody DrainRequest request) {
        NodeController.checkPath("path", request.path());
        return bindings.setOffline(request.path(), request.hostname(), request.offline());
    }
}
