package dev.loki.auth.system;

import dev.loki.support.Caller;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/** The caller of the current request, with the checks that need no grant lookup. */
public final class Callers {

    private Callers() {
    }

    public static Mono<Caller> current() {
        return Caller.current().switchIfEmpty(Mono.error(() -> Problems.unauthorized("No authenticated caller.")));
    }

    public static Mono<Caller> admin() {
        return current().flatMap(c -> c.admin() ? Mono.just(c)
                : Mono.error(Problems.forbidden("Only administrators may do this.")));
    }

    /** Users only: API tokens cannot manage sessions or other tokens. */
    public static Mono<Caller> user() {
        return current().flatMap(c -> !c.isToken() ? Mono.just(c)
                : Mono.error(Problems.forbidden("API tokens cannot do this; log in as a user.")));
    }
}
