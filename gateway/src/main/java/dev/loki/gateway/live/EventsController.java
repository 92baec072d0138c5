package dev.loki.gateway.live;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import dev.loki.events.EventType;
import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.gateway.identity.ApiTokenExchanger;
import dev.loki.gateway.system.GatewayProperties;
import dev.loki.gateway.system.PerKeyLimit;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/events?nodePath=/corp/search} — Server-Sent Events of every Loki event whose node
 * path (or, for a rename or move, old path) lies in that subtree, for any signed-in caller, with a
 * heartbeat comment every 15 s so proxies keep the connection open. Event name = the event's type,
 * id = its id, data = its JSON as published on Redis.
 *
 * <p>Each stream has a buffer of its own ({@code event-buffer-per-stream}): a client that stops reading
 * is disconnected when it fills, and never holds up anyone else's events. A subject may hold
 * {@code max-event-streams-per-subject} streams open per replica (429 beyond). A stream ends when its
 * caller's session does: a user's at their JWT's expiry or when they are disabled or deleted, an API
 * token's when the token is revoked, expires or its owner is disabled (it is exchanged again then, and
 * every 30 s). Petitions are shown as the petitions API shows them: to the petitioner and to holders of
 * {@code grant.manage} on the node.
 */
@RestController
class EventsController {

    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration RECHECK = Duration.ofSeconds(30);
    private static final Set<String> PETITIONS = Set.of(EventType.PETITION_FILED.wireName(), EventType.PETITION_DECIDED.wireName());
    private static final Set<String> ACCOUNT_CHANGES = Set.of(EventType.API_TOKEN_REVOKED.wireName(),
            EventType.USER_UPDATED.wireName(), EventType.USER_DELETED.wireName());

    private final EventStream stream;
    private final ApiTokenExchanger exchanger;
    private final GrantCheck grants;
    private final PerKeyLimit open;
    private final int buffer;

    EventsController(EventStream stream, ApiTokenExchanger exchanger, GrantCheck grants, GatewayProperties properties) {
        this.stream = stream;
        this.exchanger = exchanger;
        this.grants = grants;
        this.open = new PerKeyLimit(properties.maxEventStreamsPerSubject());
        this.buffer = properties.eventBufferPerStream();
    }

    @GetMapping(path = "/api/events", produces = "text/event-stream")
    Flux<ServerSentEvent<String>> events(@RequestParam(defaultValue = "/") String nodePath, ServerWebExchange exchange) {
        if (!NodePath.isValid(nodePath)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "nodePath must be a tree path like /corp/search");
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .cast(JwtAuthenticationToken.class)
                .flatMapMany(auth -> stream(auth.getToken(), presented, nodePath));
    }

    private Flux<ServerSentEvent<String>> stream(Jwt jwt, String presented, String nodePath) {
        String subject = jwt.getSubject();
        if (!open.acquire(subject)) {
            return Flux.error(new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS,
                    "at most " + open.limit() + " live event streams per caller; close one first"));
        }
        boolean apiToken = ApiTokenExchanger.isApiToken(presented);
        Mono<String> bearer = apiToken ? exchanger.exchange(presented) : Mono.just(jwt.getTokenValue());
        Flux<ServerSentEvent<String>> matching = stream.events()
                // this client's own buffer: reading slower than events come fills it and ends this stream only
                .onBackpressureBuffer(buffer, dropped -> { }, BufferOverflowStrategy.ERROR)
                .filter(e -> within(e.nodePath(), nodePath) || within(e.oldPath(), nodePath))
                .concatMap(e -> visible(e, subject, bearer).filter(Boolean::booleanValue)
                        .map(yes -> ServerSentEvent.builder(e.json()).event(e.type()).id(e.id()).build()));
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(HEARTBEAT).map(i -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        return Flux.merge(Flux.just(ServerSentEvent.<String>builder().comment("connected").build()), matching, heartbeats)
                .takeUntilOther(apiToken ? tokenEnds(presented) : sessionEnds(jwt, subject))
                .doFinally(signal -> open.release(subject));
    }

    /** Emits when an API token no longer works: asked again on every account change and every 30 s. */
    private Mono<Boolean> tokenEnds(String presented) {
        // latest only: a burst of account changes while auth-service is slow needs one check, and never holds up the stream
        return Flux.merge(stream.events().filter(e -> ACCOUNT_CHANGES.contains(e.type())).map(e -> 0L).onBackpressureLatest(),
                        Flux.interval(RECHECK).onBackpressureLatest())
                .concatMap(tick -> exchanger.exchange(presented).map(jwt -> false)
                        .onErrorResume(InvalidBearerTokenException.class, e -> Mono.just(true))
                        // auth-service cannot be asked right now: the token is not known to be revoked
                        .onErrorResume(e -> Mono.just(false)))
                .filter(Boolean::booleanValue)
                .next();
    }

    /** Emits when a user's session ends: the JWT expires, or the user is disabled or deleted. */
    private Mono<Boolean> sessionEnds(Jwt jwt, String subject) {
        String username = subject.startsWith("user:") ? subject.substring("user:".length()) : subject;
        Mono<Boolean> expiry = jwt.getExpiresAt() == null ? Mono.never()
                : Mono.delay(maxZero(Duration.between(Instant.now(), jwt.getExpiresAt()))).map(x -> true);
        Mono<Boolean> gone = stream.events()
                .filter(e -> username.equals(e.endedUser()))
                .next().map(e -> true);
        return Mono.firstWithValue(expiry, gone);
    }

    /** What the REST API would show this caller: petitions only to the petitioner and to deciders on the node. */
    private Mono<Boolean> visible(EventStream.Event event, String subject, Mono<String> bearer) {
        if (!PETITIONS.contains(event.type()) || subject.equals(event.subject())) {
            return Mono.just(true);
        }
        if (event.nodePath() == null || !NodePath.isValid(event.nodePath())) {
            return Mono.just(false);
        }
        return grants.holds(subject, event.nodePath(), Privilege.GRANT_MANAGE, bearer);
    }

    private static Duration maxZero(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    static boolean within(String path, String subtree) {
        return path != null && NodePath.covers(subtree, path);
    }
}
