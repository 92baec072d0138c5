package dev.loki.devstack;

import java.time.Duration;

/**
 * How long the supervisor waits before restarting a service that exited: 1 s after the first exit,
 * doubling with each exit in a row up to 60 s, so a service that dies at start-up does not spin. A
 * service that stayed up for {@link #STABLE} counts as recovered (its next exit is a first one again).
 */
final class RestartBackoff {

    static final Duration STABLE = Duration.ofSeconds(60);
    static final Duration MAX = Duration.ofSeconds(60);

    private RestartBackoff() {
    }

    /** The wait before restart number {@code exitsInARow} (1 = the first exit). */
    static Duration delay(int exitsInARow) {
        if (exitsInARow <= 1) {
            return Duration.ofSeconds(1);
        }
        long seconds = 1L << Math.min(exitsInARow - 1, 6);
        return Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
    }
}
