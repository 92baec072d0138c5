package dev.loki.auth.system;

import dev.loki.support.Caller;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * The caller of the current request, with the checks that need no lookup. Whether a caller is an
 * administrator is never taken from here (the JWT's claim may be stale): see {@code Administrators}.
 */
public final class Callers {

    private Callers() {
    }

    public static Mono<Caller> current() {
        return Caller.current().switchIfEmpty(Mono.error(() -> Problems.unauthorized("No authenticated caller.")));
    }

    /** Users only: API tokens cannot manage sessions or other tokens. */
    public static Mono<Caller> user() {
        return current().flatMap(c -> !c.isToken() ? Mono.just(c)
                : Mono.error(Problems.forbidden("API tokens cannot do this; log in as a user.")));
    }
}
