package dev.loki.alarm.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.support.Times;
import reactor.core.publisher.Mono;

/**
 * Sends the delivery outbox. Each replica claims due deliveries under a lease (a conditional update, so two
 * replicas never hold one at once), posts each to its webhook with its {@code Idempotency-Key} and, when the
 * channel has a secret, {@code X-Loki-Signature: sha256=<HMAC-SHA256 of the body>}, and records the attempt.
 * A 2xx ends it; anything else is tried again after a back-off that doubles from {@code retry-min} to
 * {@code retry-max}, until the delivery is {@code max-age} old (then it is dead). A replica that dies mid-send
 * leaves its lease to lapse and another sends the same delivery, with the same key: at least once.
 */
@Component
class Dispatcher extends PollingWork {

    private static final int BATCH = 20;

    private final DeliveryRepository deliveries;
    private final Mailer mailer;
    private final WebClient web;
    private final AlarmProperties.Notifications settings;
    private final String owner = UUID.randomUUID().toString();

    Dispatcher(DeliveryRepository deliveries, Mailer mailer, WebClient.Builder web, AlarmProperties properties) {
        super("sending notifications", properties.notifications().interval());
        this.deliveries = deliveries;
        this.mailer = mailer;
        this.web = web.clone().build();
        this.settings = properties.notifications();
    }

    @Override
    Mono<Void> round() {
        return sendDue();
    }

    Mono<Void> sendDue() {
        Instant now = Times.now();
        return deliveries.claim(owner, now, now.plus(settings.lease()), BATCH)
                .filter(n -> n > 0)
                .flatMapMany(n -> deliveries.held(owner, now))
                .flatMap(this::send, 8)
                .then();
    }

    private Mono<Void> send(DeliveryRepository.Due due) {
        int attempt = due.attempts() + 1;
        byte[] body = due.body().getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        Instant at = Times.now();
        Mono<Outcome> outcome = "email".equals(due.type())
                ? mailer.send(due.target(), due.idempotencyKey(), due.body(), settings.timeout()).thenReturn(new Outcome(SMTP_OK, null))
                        .onErrorResume(e -> Mono.just(new Outcome(null, describe(e))))
                : post(due, attempt, body);
        return outcome
                .flatMap(result -> record(due, attempt, at, started, result));
    }

    /** SMTP's "accepted": an e-mail attempt's status code. */
    static final int SMTP_OK = 250;

    private Mono<Outcome> post(DeliveryRepository.Due due, int attempt, byte[] body) {
        return web.post().uri(due.target())
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> {
                    h.set("Idempotency-Key", due.idempotencyKey());
                    h.set("X-Loki-Attempt", Integer.toString(attempt));
                    if (due.secret() != null) {
                        h.set("X-Loki-Signature", "sha256=" + hmac(due.secret(), body));
                    }
                })
                .bodyValue(body)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .timeout(settings.timeout())
                .map(code -> new Outcome(code, null))
                .onErrorResume(e -> Mono.just(new Outcome(null, e instanceof java.util.concurrent.TimeoutException
                        ? "no answer within " + settings.timeout().toSeconds() + " s" : describe(e))));
    }

    /** Records the attempt; an accepted one (2xx, or SMTP's 250) ends the delivery, anything else schedules the next try. */
    private Mono<Void> record(DeliveryRepository.Due due, int attempt, Instant at, long started, Outcome outcome) {
        long latency = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Instant done = Times.now();
        Mono<Void> record = deliveries.attempt(due.id(), attempt, at, outcome.code(), latency, outcome.error());
        if (outcome.code() != null && (outcome.code() == SMTP_OK || outcome.code() >= 200 && outcome.code() < 300)) {
            return record.then(deliveries.sent(due.id(), owner, attempt, done));
        }
        boolean dead = !done.isBefore(due.createdAt().plus(settings.maxAge()));
        return record.then(deliveries.failed(due.id(), owner, attempt, done.plus(backoff(attempt)), dead, done));
    }

    private record Outcome(Integer code, String error) {
    }

    /** The wait after attempt {@code n}: {@code retry-min} doubled n−1 times, at most {@code retry-max}. */
    Duration backoff(int attempt) {
        Duration wait = settings.retryMin();
        for (int i = 1; i < attempt && wait.compareTo(settings.retryMax()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait;
    }

    /** What went wrong, without stack or class internals beyond the exception's simple name. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
