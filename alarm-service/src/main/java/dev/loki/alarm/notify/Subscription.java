package dev.loki.alarm.notify;

import java.time.Instant;

/** Alarms on {@code nodePath} and below, from {@code minSeverity} up, are notified on {@code channelId}. */
public record Subscription(long id, String nodePath, long channelId, String minSeverity, String createdBy, Instant createdAt) {
}
