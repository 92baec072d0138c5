package dev.loki.auth.user;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.EndedSessions;
import dev.loki.events.InternalApi;
import reactor.core.publisher.Mono;

/** Internal, for the gateway (the internal token, never routed): whose JWTs to refuse although they are unexpired. */
@RestController
class EndedSessionController {

    private final UserService users;

    EndedSessionController(UserService users) {
        this.users = users;
    }

    @GetMapping(InternalApi.ENDED_SESSIONS)
    Mono<EndedSessions> endedSessions() {
        return users.endedSessions();
    }
}
