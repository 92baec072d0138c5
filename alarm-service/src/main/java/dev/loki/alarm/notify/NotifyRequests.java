package dev.loki.alarm.notify;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.loki.support.ValidNodePath;

/** The bodies of the channel and subscription endpoints. */
final class NotifyRequests {

    private static final int WEEK = 7 * 24 * 3600;

    private NotifyRequests() {
    }

    /** {@code POST /api/alarm/channels}. */
    record NewChannel(@NotBlank @Size(max = 100) @Pattern(regexp = "^[\\p{L}\\p{N}][\\p{L}\\p{N} ._()-]{0,99}$",
                              message = "letters, digits, spaces and . _ ( ) -, starting with a letter or digit, at most 100") String name,
                      @NotNull @Pattern(regexp = "webhook|email", message = "webhook or email") String type,
                      @NotBlank @Size(max = 2000) String target,
                      @Size(min = 16, max = 200, message = "16 to 200 characters") String secret) {
    }

    /** {@code POST /api/alarm/subscriptions}. */
    record NewSubscription(@NotNull @ValidNodePath String nodePath, @NotNull @Positive Long channelId,
                           @Pattern(regexp = "info|warning|critical", message = "one of info, warning, critical") String minSeverity,
                           @Positive @Max(value = WEEK, message = "at most a week (604800)") Integer escalateAfterSeconds,
                           @Positive @Max(value = WEEK, message = "at most a week (604800)") Integer repeatSeconds) {
    }
}
