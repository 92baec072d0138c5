package dev.loki.gateway.identity;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.events.InternalApi;
import dev.loki.gateway.live.EventStream;
import dev.loki.gateway.system.GatewayProperties;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The users whose sessions ended — disabled ({@code user-updated} with {@code enabled: false}) or
 * deleted ({@code user-deleted}) — and when, by auth-service's clock. A user's JWT issued before then is
 * refused (issue 11, item 1: reads stop at once, not only writes, which every privilege check refuses
 * anyway); one issued later — the user enabled again and signed in — works.
 * <p>
 * Two sources, merged (the later end wins): the event, which arrives at once, and auth-service's list of
 * recent ends ({@link InternalApi#ENDED_SESSIONS}), read at start-up and every
 * {@code loki.gateway.ended-sessions-refresh}, so a replica started after the event, or one whose Redis
 * subscription was down when it was published, knows within that time. While auth-service cannot be
 * asked, the events alone count. Kept for {@link #KEPT}, longer than any JWT lives.
 */
@Component
class EndedSessions implements DisposableBean {

    static final Duration KEPT = Duration.ofHours(2);
    private static final Logger log = LoggerFactory.getLogger(EndedSessions.class);

    private final Cache<String, Instant> ended = Caffeine.newBuilder().expireAfterWrite(KEPT).maximumSize(100_000).build();
    private final Disposable.Composite subscriptions = Disposables.composite();
    private volatile boolean listed = true;

    EndedSessions(EventStream stream, AuthServiceClient auth, GatewayProperties properties) {
        subscriptions.add(stream.events()
                .filter(e -> e.endedUser() != null)
                .subscribe(e -> end(e.endedUser(), e.occurredAt() == null ? Instant.now() : e.occurredAt())));
        subscriptions.add(Flux.interval(Duration.ZERO, properties.endedSessionsRefresh())
                .onBackpressureDrop()
                .concatMap(tick -> auth.web().get().uri(InternalApi.ENDED_SESSIONS).retrieve()
                        .bodyToMono(dev.loki.events.EndedSessions.class)
                        .timeout(Duration.ofSeconds(5))
                        .doOnNext(list -> {
                            list.sessions().forEach(s -> end(s.username(), s.endedAt()));
                            if (!listed) {
                                log.info("auth-service's list of ended sessions is read again");
                            }
                            listed = true;
                        })
                        .onErrorResume(e -> {
                            if (listed) {
                                log.warn("cannot read auth-service's list of ended sessions ({}); events alone count until it answers", e.toString());
                            }
                            listed = false;
                            return Mono.empty();
                        }))
                .subscribe());
    }

    private void end(String username, Instant at) {
        if (username != null && at != null) {
            ended.asMap().merge(username, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** Whether {@code jwt} belongs to a user whose session ended after it was issued. */
    boolean ended(Jwt jwt) {
        String subject = jwt.getSubject();
        if (subject == null || !subject.startsWith("user:")) {
            return false;
        }
        Instant at = ended.getIfPresent(subject.substring("user:".length()));
        // iat is in whole seconds: a token of the second the account was disabled in counts as issued before
        return at != null && (jwt.getIssuedAt() == null || !jwt.getIssuedAt().isAfter(at));
    }

    @Override
    public void destroy() {
        subscriptions.dispose();
    }
}
