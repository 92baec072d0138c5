package dev.loki.alarm.notify;

import java.time.Instant;

/**
 * Alarms on {@code nodePath} and below, from {@code minSeverity} up, are notified on {@code channelId}: at once, or
 * (an escalation) only once their incident has been notified for {@code escalateAfterSeconds} with an alarm still
 * unacknowledged; and again every {@code repeatSeconds} while one is.
 */
public record Subscription(long id, String nodePath, long channelId, String minSeverity, Integer escalateAfterSeconds,
                           Integer repeatSeconds, String createdBy, Instant createdAt) {
}
