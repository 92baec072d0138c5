package dev.loki.auth.user;

import org.springframework.stereotype.Component;

import dev.loki.auth.system.Callers;
import dev.loki.support.Caller;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Whether a caller is an administrator now: read from the users table on every call, never from the
 * JWT's {@code admin} claim, so a demoted, disabled or deleted administrator loses the rights at once
 * even while their access token is still valid. API tokens are never administrators.
 */
@Component
public class Administrators {

    private final UserRepository users;

    Administrators(UserRepository users) {
        this.users = users;
    }

    /** The current caller if they are an enabled administrator; 403 otherwise. */
    public Mono<Caller> require() {
        return Callers.current().filterWhen(this::isAdmin)
                .switchIfEmpty(Mono.error(() -> Problems.forbidden("Only administrators may do this.")));
    }

    public Mono<Boolean> isAdmin(Caller caller) {
        return isAdmin(caller.subject());
    }

    /** Whether {@code subject} names a user who exists, is enabled and is an administrator. */
    public Mono<Boolean> isAdmin(String subject) {
        if (!subject.startsWith("user:")) {
            return Mono.just(false);
        }
        return users.findByUsername(subject.substring("user:".length())).map(u -> u.admin() && u.enabled()).defaultIfEmpty(false);
    }
}
