package dev.loki.gateway.live;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.loki.events.NodePath;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/events?nodePath=/corp/search} — Server-Sent Events of every Loki event whose node
 * path (or, for a rename or move, old path) lies in that subtree, for any signed-in caller, with a
 * heartbeat comment every 15 s so proxies keep the connection open. Event name = the event's type,
 * id = its id, data = its JSON as published on Redis.
 */
@RestController
class EventsController {

    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final EventStream stream;

    EventsController(EventStream stream) {
        this.stream = stream;
    }

    @GetMapping(path = "/api/events", produces = "text/event-stream")
    Flux<ServerSentEvent<String>> events(@RequestParam(defaultValue = "/") String nodePath) {
        if (!NodePath.isValid(nodePath)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "nodePath must be a tree path like /corp/search");
        }
        Flux<ServerSentEvent<String>> matching = stream.events()
                .filter(e -> within(e.nodePath(), nodePath) || within(e.oldPath(), nodePath))
                .map(e -> ServerSentEvent.builder(e.json()).event(e.type()).id(e.id()).build());
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(HEARTBEAT).map(i -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        return Flux.merge(Flux.just(ServerSentEvent.<String>builder().comment("connected").build()), matching, heartbeats);
    }

    static boolean within(String path, String subtree) {
        return path != null && NodePath.covers(subtree, path);
    }
}
