package dev.loki.auth.user;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.loki.auth.grant.GrantRepository;
import dev.loki.auth.session.RefreshTokenRepository;
import dev.loki.auth.system.AuthProperties;
import dev.loki.events.EndedSessions;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import dev.loki.support.Times;
import dev.loki.auth.token.ApiTokenRepository;
import dev.loki.events.Events;
import dev.loki.events.UserCreated;
import dev.loki.events.UserDeleted;
import dev.loki.events.UserUpdated;
import dev.loki.support.EventPublisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Service
public class UserService {

    static final String SOURCE = "auth-service";
    /** Past a JWT's lifetime, plus the clock skew a verifier allows (Spring's default is 60 s). */
    private static final Duration SKEW = Duration.ofMinutes(2);

    private final UserRepository users;
    private final ApiTokenRepository tokens;
    private final RefreshTokenRepository refreshTokens;
    private final GrantRepository grants;
    private final PasswordEncoder encoder;
    private final TransactionalOperator tx;
    private final EventPublisher events;
    private final EndedSessionRepository ended;
    private final Duration endsKept;

    UserService(UserRepository users, ApiTokenRepository tokens, RefreshTokenRepository refreshTokens,
                GrantRepository grants, PasswordEncoder encoder, TransactionalOperator tx, EventPublisher events,
                EndedSessionRepository ended, AuthProperties properties) {
        this.users = users;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.grants = grants;
        this.encoder = encoder;
        this.tx = tx;
        this.events = events;
        this.ended = ended;
        this.endsKept = properties.accessTokenTtl().plus(SKEW);
    }

    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> encoder.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
    }

    Mono<Page<UserView>> list(int page, int size) {
        Page.check(page, size);
        return users.page(page, size).map(UserView::of).collectList()
                .zipWith(users.count(), (items, total) -> new Page<>(items, page, size, total));
    }

    Mono<User> get(String username) {
        return users.findByUsername(username).switchIfEmpty(Mono.error(() -> Problems.notFound("User", username)));
    }

    public Mono<User> create(CreateUserRequest request) {
        String displayName = request.displayName() == null || request.displayName().isBlank() ? request.username() : request.displayName();
        List<String> groups = request.groups() == null ? List.of() : List.copyOf(request.groups());
        boolean admin = Boolean.TRUE.equals(request.admin());
        return hash(request.password())
                .flatMap(hash -> users.insert(request.username(), displayName, request.email(), hash, admin, groups, Times.now()))
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> Problems.conflict("User '" + request.username() + "' already exists."))
                .then(get(request.username()))
                .flatMap(user -> events.publish(new UserCreated(Events.newId(), Events.now(), SOURCE,
                        user.username(), user.displayName(), user.admin())).thenReturn(user));
    }

    Mono<User> update(String username, UpdateUserRequest request, String actor) {
        return get(username).flatMap(current -> {
            if (username.equals(actor) && (Boolean.FALSE.equals(request.admin()) || Boolean.FALSE.equals(request.enabled()))) {
                return Mono.error(Problems.conflict("You cannot remove your own admin rights or disable yourself."));
            }
            Mono<String> hash = request.password() == null ? Mono.just(current.passwordHash()) : hash(request.password());
            return hash.map(h -> new User(current.id(), current.username(),
                    request.displayName() != null ? request.displayName() : current.displayName(),
                    request.email() != null ? request.email() : current.email(), h,
                    request.admin() != null ? request.admin() : current.admin(),
                    request.enabled() != null ? request.enabled() : current.enabled(),
                    request.groups() != null ? List.copyOf(request.groups()) : current.groups(),
                    current.createdAt(), Times.now()));
        }).flatMap(updated -> {
            Mono<Void> sessions = updated.enabled() && request.password() == null ? Mono.empty()
                    : refreshTokens.revokeAllOf(updated.username(), Times.now()).then();
            Mono<Void> end = updated.enabled() ? Mono.empty() : endSessions(updated.username());
            return users.update(updated).then(sessions).then(end).as(tx::transactional).thenReturn(updated);
        }).flatMap(user -> events.publish(new UserUpdated(Events.newId(), Events.now(), SOURCE,
                user.username(), user.admin(), user.enabled())).thenReturn(user));
    }

    Mono<Void> delete(String username, String actor) {
        if (username.equals(actor)) {
            return Mono.error(Problems.conflict("You cannot delete yourself."));
        }
        return get(username)
                .flatMap(user -> tokens.findIdsByOwner(username).collectList()
                        .flatMap(ids -> grants.deleteBySubjects(ids.stream().map(id -> "token:" + id).toList()))
                        .then(grants.deleteBySubjects(List.of(user.subject())))
                        .then(tokens.deleteByOwner(username))
                        .then(refreshTokens.deleteAllOf(username))
                        .then(users.delete(username))
                        .then(endSessions(username))
                        .as(tx::transactional))
                .then(events.publish(new UserDeleted(Events.newId(), Events.now(), SOURCE, username)));
    }

    /** The users whose JWTs may still be unexpired although their sessions ended (for the gateway). */
    Mono<EndedSessions> endedSessions() {
        Instant since = Times.now().minus(endsKept);
        return ended.forgetBefore(since).then(ended.since(since).collectList()).map(list -> new EndedSessions(since, list));
    }

    private Mono<Void> endSessions(String username) {
        return ended.record(username, Times.now());
    }
}
