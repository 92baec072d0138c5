package dev.loki.ptree.binding;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Hostname;
import reactor.core.publisher.Mono;

/** URLs bound to a node: {@code /api/ptree/nodes/{id}/urls}. */
@RestController
class UrlController {

    record BindUrlRequest(
            @NotNull @Pattern(regexp = Hostname.PATTERN, message = "must be a lower-case domain like www.example.com") String domain,
            @NotNull @Pattern(regexp = "^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$", message = "must start with / and hold URL path characters only (at most 1024)")
            String path) {
    }

    private final UrlService urls;

    UrlController(UrlService urls) {
        this.urls = urls;
    }

    @GetMapping("/api/ptree/nodes/{id}/urls")
    Mono<List<UrlService.BoundUrl>> list(@PathVariable long id, @RequestParam(defaultValue = "false") boolean recursive) {
        return urls.list(id, recursive);
    }

    @PostMapping("/api/ptree/nodes/{id}/urls")
    Mono<ResponseEntity<UrlService.BoundUrl>> bind(@PathVariable long id, @Valid @RequestBody BindUrlRequest request) {
        return urls.bind(id, request.domain(), request.path())
                .map(u -> ResponseEntity.created(URI.create("/api/ptree/nodes/" + id + "/urls/" + u.id())).body(u));
    }

    @DeleteMapping("/api/ptree/nodes/{id}/urls/{urlId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unbind(@PathVariable long id, @PathVariable String urlId) {
        return urls.unbind(id, urlId);
    }
}
