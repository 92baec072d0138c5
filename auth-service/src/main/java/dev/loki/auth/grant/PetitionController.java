package dev.loki.auth.grant;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.auth.system.Callers;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

@RestController
class PetitionController {

    private final PetitionService petitions;

    PetitionController(PetitionService petitions) {
        this.petitions = petitions;
    }

    @PostMapping("/api/auth/petitions")
    Mono<ResponseEntity<Petition>> file(@Valid @RequestBody GrantRequests.CreatePetitionRequest request) {
        return Callers.current().flatMap(c -> petitions.file(c, request))
                .map(p -> ResponseEntity.created(URI.create("/api/auth/petitions/" + p.id())).body(p));
    }

    @GetMapping("/api/auth/petitions")
    Mono<Page<Petition>> list(@RequestParam(required = false) String status) {
        if (status != null && !PetitionService.STATUSES.contains(status)) {
            return Mono.error(Problems.invalid("status", "one of " + PetitionService.STATUSES));
        }
        return Callers.current().flatMap(c -> petitions.visible(c, status));
    }

    @PostMapping("/api/auth/petitions/{id}/approve")
    Mono<Petition> approve(@PathVariable long id) {
        return Callers.current().flatMap(c -> petitions.decide(c, id, true));
    }

    @PostMapping("/api/auth/petitions/{id}/reject")
    Mono<Petition> reject(@PathVariable long id) {
        return Callers.current().flatMap(c -> petitions.decide(c, id, false));
    }
}
