package dev.loki.auth.token;

import jakarta.validation.Valid;

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

import dev.loki.auth.system.Callers;
import dev.loki.auth.user.Administrators;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;
import dev.loki.events.InternalApi;

/** API tokens for scripts and other teams: created and managed by users, never by other tokens. */
@RestController
class ApiTokenController {

    private final ApiTokenService tokens;
    private final Administrators admins;

    ApiTokenController(ApiTokenService tokens, Administrators admins) {
        this.tokens = tokens;
        this.admins = admins;
    }

    @PostMapping("/api/auth/tokens")
    Mono<ResponseEntity<TokenViews.CreatedToken>> create(@Valid @RequestBody CreateTokenRequest request) {
        return Callers.user().flatMap(c -> tokens.create(c.username(), request))
                .map(t -> ResponseEntity.created(ApiTokenService.location(t.id())).body(t));
    }

    /** The caller's tokens; administrators may list another user's with {@code owner}. */
    @GetMapping("/api/auth/tokens")
    Mono<Page<TokenViews.TokenView>> list(@RequestParam(required = false) String owner,
                                                 @RequestParam(defaultValue = "0") int page,
                                                 @RequestParam(defaultValue = "50") int size) {
        return Callers.user().flatMap(c -> {
            if (owner == null || owner.equals(c.username())) {
                return tokens.list(c.username(), page, size);
            }
            return admins.isAdmin(c).flatMap(admin -> admin ? tokens.list(owner, page, size)
                    : Mono.error(Problems.forbidden("Only administrators may list other users' tokens.")));
        });
    }

    @DeleteMapping("/api/auth/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> revoke(@PathVariable long id) {
        return Callers.user().flatMap(c -> tokens.revoke(id, c));
    }

    /**
     * Internal, for the gateway only (not routed from outside): trades an API token for a
     * short-lived JWT that services can verify. Anyone able to call it already holds the token.
     */
    @PostMapping(InternalApi.TOKEN_EXCHANGE)
    Mono<TokenViews.ExchangeResponse> exchange(@Valid @RequestBody TokenViews.ExchangeRequest request) {
        return tokens.exchange(request.token());
    }
}
