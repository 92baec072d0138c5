package dev.loki.auth.token;

import java.net.URI;
import java.time.Instant;

import org.springframework.stereotype.Service;

import dev.loki.auth.jwt.JwtIssuer;
import dev.loki.auth.system.AuthProperties;
import dev.loki.auth.user.Administrators;
import dev.loki.auth.user.User;
import dev.loki.auth.user.UserRepository;
import dev.loki.support.Page;
import dev.loki.support.Problems;
import dev.loki.auth.system.Secrets;
import dev.loki.support.Times;
import dev.loki.events.ApiTokenCreated;
import dev.loki.events.ApiTokenRevoked;
import dev.loki.events.Events;
import dev.loki.support.Caller;
import dev.loki.support.EventPublisher;
import dev.loki.support.LokiJwt;
import reactor.core.publisher.Mono;

@Service
class ApiTokenService {

    static final String PREFIX = "loki_";

    private final ApiTokenRepository tokens;
    private final JwtIssuer issuer;
    private final AuthProperties properties;
    private final EventPublisher events;
    private final UserRepository users;
    private final Administrators admins;

    ApiTokenService(ApiTokenRepository tokens, JwtIssuer issuer, AuthProperties properties, EventPublisher events,
                    UserRepository users, Administrators admins) {
        this.tokens = tokens;
        this.users = users;
        this.admins = admins;
        this.issuer = issuer;
        this.properties = properties;
        this.events = events;
    }

    Mono<TokenViews.CreatedToken> create(String owner, CreateTokenRequest request) {
        Instant now = Times.now();
        Instant latest = now.plus(properties.apiTokenMaxLifetime());
        if (request.expiresAt() != null && request.expiresAt().isAfter(latest)) {
            return Mono.error(Problems.invalid("expiresAt", "at most " + properties.apiTokenMaxLifetime().toDays()
                    + " days ahead (the longest an API token may live)"));
        }
        Instant expiresAt = request.expiresAt() == null ? latest : request.expiresAt();
        String secret = Secrets.random(PREFIX);
        String hint = secret.substring(0, PREFIX.length() + 4);
        return tokens.insert(request.name().strip(), owner, Secrets.sha256(secret), hint, expiresAt, now)
                .flatMap(id -> events.publish(new ApiTokenCreated(Events.newId(), Events.now(), "auth-service", id,
                                request.name().strip(), owner, expiresAt))
                        .thenReturn(new TokenViews.CreatedToken(id, request.name().strip(), secret, expiresAt, now)));
    }

    Mono<Page<TokenViews.TokenView>> list(String owner, int page, int size) {
        Page.check(page, size);
        return tokens.findByOwner(owner, page, size).map(TokenViews.TokenView::of).collectList()
                .zipWith(tokens.countByOwner(owner), (items, total) -> new Page<>(items, page, size, total));
    }

    /** Owners revoke their own tokens, administrators any; others get 404 (not even existence leaks). */
    Mono<Void> revoke(long id, Caller caller) {
        return tokens.findById(id)
                .filterWhen(t -> t.owner().equals(caller.username()) ? Mono.just(true) : admins.isAdmin(caller))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Token", id)))
                .flatMap(t -> tokens.revoke(id, Times.now())
                        .flatMap(changed -> changed
                                ? events.publish(new ApiTokenRevoked(Events.newId(), Events.now(), "auth-service", id, t.owner()))
                                : Mono.empty()));
    }

    /** For the gateway: a valid API token becomes a short-lived internal JWT naming {@code token:<id>}. */
    Mono<TokenViews.ExchangeResponse> exchange(String secret) {
        Instant now = Times.now();
        return tokens.findByHash(Secrets.sha256(secret))
                .filter(t -> t.usableAt(now, properties.apiTokenMaxLifetime()))
                // a disabled owner's tokens stop with the owner (a deleted owner's are deleted with them)
                .filterWhen(t -> users.findByUsername(t.owner()).map(User::enabled).defaultIfEmpty(false))
                .switchIfEmpty(Mono.error(() -> Problems.unauthorized("Unknown, expired or revoked API token.")))
                .flatMap(t -> tokens.touch(t.id(), now).thenReturn(t))
                .map(t -> {
                    String subject = "token:" + t.id();
                    String jwt = issuer.issue(subject, t.owner(), false, LokiJwt.AUDIENCE_INTERNAL, properties.exchangedTokenTtl());
                    return new TokenViews.ExchangeResponse(jwt, properties.exchangedTokenTtl().toSeconds(), subject);
                });
    }

    static URI location(long id) {
        return URI.create("/api/auth/tokens/" + id);
    }
}
