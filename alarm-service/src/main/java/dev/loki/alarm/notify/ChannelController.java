package dev.loki.alarm.notify;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.NodePath;
import dev.loki.events.Privilege;
import dev.loki.support.Caller;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Channels (where notifications go) and subscriptions (which subtree, from which severity, goes to which
 * channel). Anyone signed in reads them. A channel serves every team, so creating or deleting one needs
 * {@code alarm.manage} on {@code /}; a subscription needs {@code alarm.manage} on its node.
 */
@RestController
class ChannelController {

    private static final Privilege PRIVILEGE = Privilege.ALARM_MANAGE;

    private final ChannelRepository channels;
    private final Permissions permissions;
    private final TransactionalOperator tx;

    ChannelController(ChannelRepository channels, Permissions permissions, TransactionalOperator tx) {
        this.channels = channels;
        this.permissions = permissions;
        this.tx = tx;
    }

    @GetMapping("/api/alarm/channels")
    Mono<Page<Channel>> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Page.check(page, size);
        return channels.channels(page, size);
    }

    @GetMapping("/api/alarm/channels/{id}")
    Mono<Channel> get(@PathVariable long id) {
        return channels.channel(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Channel", id)));
    }

    @PostMapping("/api/alarm/channels")
    Mono<ResponseEntity<Channel>> create(@Valid @RequestBody NotifyRequests.NewChannel request) {
        String target = request.target().strip();
        if ("email".equals(request.type())) {
            if (!Mailer.addresses(target)) {
                throw Problems.invalid("target", "one to " + Mailer.MAX_RECIPIENTS + " e-mail addresses, separated by commas");
            }
        } else if (!webhookUrl(target)) {
            throw Problems.invalid("target", "an absolute http or https URL with a host");
        }
        return permissions.require("/", PRIVILEGE)
                .then(Caller.current())
                .flatMap(caller -> channels.insertChannel(request.name().strip(), request.type(), target, request.secret(), caller.subject()))
                .onErrorMap(DataIntegrityViolationException.class, e -> Problems.conflict("A channel named '" + request.name().strip() + "' exists."))
                .flatMap(channels::channel)
                .map(c -> ResponseEntity.created(URI.create("/api/alarm/channels/" + c.id())).body(c));
    }

    @DeleteMapping("/api/alarm/channels/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable long id) {
        return get(id).then(permissions.require("/", PRIVILEGE)).then(channels.deleteChannel(id).as(tx::transactional)).then();
    }

    @GetMapping("/api/alarm/subscriptions")
    Mono<Page<Subscription>> subscriptions(@RequestParam(required = false) String nodePath, @RequestParam(defaultValue = "0") int page,
                                           @RequestParam(defaultValue = "50") int size) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        Page.check(page, size);
        List<String> ancestors = nodePath == null ? List.of() : NodePath.of(nodePath).selfAndAncestors();
        return channels.subscriptions(nodePath, ancestors, page, size);
    }

    @PostMapping("/api/alarm/subscriptions")
    Mono<ResponseEntity<Subscription>> subscribe(@Valid @RequestBody NotifyRequests.NewSubscription request) {
        String min = request.minSeverity() == null ? "warning" : request.minSeverity();
        return permissions.require(request.nodePath(), PRIVILEGE)
                .then(channels.channel(request.channelId()))
                .switchIfEmpty(Mono.error(() -> Problems.invalid("channelId", "no such channel")))
                .then(Caller.current())
                .flatMap(caller -> channels.insertSubscription(request.nodePath(), request.channelId(), min,
                        request.escalateAfterSeconds(), request.repeatSeconds(), caller.subject()))
                .onErrorMap(DataIntegrityViolationException.class,
                        e -> Problems.conflict("The node " + request.nodePath() + " already subscribes channel " + request.channelId() + "."))
                .flatMap(channels::subscription)
                .map(s -> ResponseEntity.created(URI.create("/api/alarm/subscriptions/" + s.id())).body(s));
    }

    @DeleteMapping("/api/alarm/subscriptions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unsubscribe(@PathVariable long id) {
        return channels.subscription(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Subscription", id)))
                .flatMap(s -> permissions.require(s.nodePath(), PRIVILEGE))
                .then(Mono.defer(() -> channels.deleteSubscription(id))).then();
    }

    private static boolean webhookUrl(String target) {
        try {
            URI uri = new URI(target);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
