package dev.loki.alarm.notify;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One notification to one channel ({@code GET /api/alarm/alarms/{id}/deliveries}), with every attempt.
 *
 * @param event {@code firing} or {@code resolved}
 * @param status {@code pending} (not accepted yet; retried), {@code sent} (a 2xx) or {@code dead} (given up)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(long id, long incidentId, long channelId, String channelName, String event, String idempotencyKey, String status,
                       Instant createdAt, Instant finishedAt, List<Attempt> attempts) {

    /** @param statusCode the receiver's HTTP status, absent when it could not be reached ({@code error} says why) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int attempt, Instant at, Integer statusCode, long latencyMs, String error) {
    }
}
