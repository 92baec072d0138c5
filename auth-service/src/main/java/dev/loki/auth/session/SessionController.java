package dev.loki.auth.session;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.loki.auth.system.Callers;
import dev.loki.support.Problems;
import dev.loki.auth.user.UserRepository;
import reactor.core.publisher.Mono;

@RestController
class SessionController {

    private final SessionService sessions;
    private final UserRepository users;
    private final ClientAddress clients;

    SessionController(SessionService sessions, UserRepository users, ClientAddress clients) {
        this.sessions = sessions;
        this.clients = clients;
        this.users = users;
    }

    @PostMapping("/api/auth/login")
    Mono<TokenResponse> login(@Valid @RequestBody LoginRequest request, ServerWebExchange exchange) {
        return sessions.login(request, clients.of(exchange.getRequest()));
    }

    @PostMapping("/api/auth/refresh")
    Mono<TokenResponse> refresh(@Valid @RequestBody RefreshRequest request) {
        return sessions.refresh(request.refreshToken());
    }

    /** Ends the session of the given refresh token, or every session of the caller without a body. */
    @PostMapping("/api/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> logout(@Valid @RequestBody(required = false) RefreshRequest request) {
        return Callers.user().flatMap(c -> sessions.logout(c.username(), request == null ? null : request.refreshToken()));
    }

    @GetMapping("/api/auth/me")
    Mono<MeView> me() {
        return Callers.current().flatMap(c -> users.findByUsername(c.username())
                .switchIfEmpty(Mono.error(() -> Problems.unauthorized("The account no longer exists.")))
                .map(u -> new MeView(u.username(), u.displayName(), u.email(), u.admin() && !c.isToken(), u.groups(), c.subject())));
    }
}
