package dev.loki.auth.session;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.loki.auth.jwt.JwtIssuer;
import dev.loki.auth.system.AuthProperties;
import dev.loki.support.Problems;
import dev.loki.auth.system.Secrets;
import dev.loki.support.Times;
import dev.loki.auth.user.User;
import dev.loki.auth.user.UserRepository;
import dev.loki.auth.user.UserService;
import dev.loki.support.LokiJwt;
import reactor.core.publisher.Mono;

/** Login, rotating refresh tokens and logout. */
@Service
class SessionService {

    /** A real hash of a random string: a login for an unknown user costs as much as for a known one. */
    private final String dummyHash;

    private final UserRepository users;
    private final UserService userService;
    private final RefreshTokenRepository refreshTokens;
    private final JwtIssuer issuer;
    private final LoginThrottle throttle;
    private final AuthProperties properties;

    SessionService(UserRepository users, UserService userService, RefreshTokenRepository refreshTokens,
                   JwtIssuer issuer, LoginThrottle throttle, AuthProperties properties,
                   org.springframework.security.crypto.password.PasswordEncoder encoder) {
        this.dummyHash = encoder.encode(Secrets.random(""));
        this.users = users;
        this.userService = userService;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
        this.throttle = throttle;
        this.properties = properties;
    }

    Mono<TokenResponse> login(LoginRequest request, String address) {
        String username = request.username().strip();
        return throttle.check(username, address)
                .then(users.findByUsername(username).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()))
                .flatMap(user -> userService.matches(request.password(), user.map(User::passwordHash).orElse(dummyHash))
                        .flatMap(ok -> {
                            if (ok && user.isPresent() && user.get().enabled()) {
                                return throttle.succeeded(username).then(issue(user.get(), UUID.randomUUID().toString(), Times.now()));
                            }
                            return throttle.failed(username, address)
                                    .then(Mono.error(Problems.unauthorized("Wrong username or password.")));
                        }));
    }

    Mono<TokenResponse> refresh(String refreshToken) {
        Instant now = Times.now();
        return refreshTokens.findByHash(Secrets.sha256(refreshToken))
                .switchIfEmpty(Mono.error(() -> Problems.unauthorized("Unknown refresh token.")))
                .flatMap(token -> {
                    if (token.revokedAt() != null || token.expiresAt().isBefore(now)) {
                        return Mono.error(Problems.unauthorized("The refresh token has expired or was revoked; log in again."));
                    }
                    if (token.usedAt() != null) {
                        // A used token presented again: someone else holds a copy. End the whole session.
                        return refreshTokens.revokeFamily(token.family(), now)
                                .then(Mono.error(Problems.unauthorized("The refresh token was already used; the session has been ended.")));
                    }
                    return refreshTokens.markUsed(token.id(), now).flatMap(won -> won
                            ? users.findByUsername(token.username())
                                    .filter(User::enabled)
                                    .switchIfEmpty(Mono.error(() -> Problems.unauthorized("The account is disabled or gone.")))
                                    .flatMap(user -> issue(user, token.family(), token.familyStartedAt()))
                            : refreshTokens.revokeFamily(token.family(), now)
                                    .then(Mono.error(Problems.unauthorized("The refresh token was already used; the session has been ended."))));
                });
    }

    Mono<Void> logout(String username, String refreshToken) {
        Instant now = Times.now();
        if (refreshToken == null) {
            return refreshTokens.revokeAllOf(username, now).then();
        }
        return refreshTokens.findByHash(Secrets.sha256(refreshToken))
                .filter(t -> t.username().equals(username))
                .flatMap(t -> refreshTokens.revokeFamily(t.family(), now))
                .then();
    }

    /** A new access and refresh token; the refresh token never outlives the session's maximum lifetime. */
    private Mono<TokenResponse> issue(User user, String family, Instant familyStartedAt) {
        Instant now = Times.now();
        String refresh = Secrets.random("lokr_");
        String access = issuer.issue(user.subject(), user.username(), user.admin(), LokiJwt.AUDIENCE_USER, properties.accessTokenTtl());
        Instant sessionEnd = familyStartedAt.plus(properties.sessionMaxLifetime());
        Instant expiresAt = now.plus(properties.refreshTokenTtl());
        return refreshTokens.insert(Secrets.sha256(refresh), family, familyStartedAt, user.username(),
                        expiresAt.isAfter(sessionEnd) ? sessionEnd : expiresAt, now)
                .thenReturn(new TokenResponse(access, refresh, "Bearer", properties.accessTokenTtl().toSeconds()));
    }
}
