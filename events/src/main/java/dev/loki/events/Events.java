package dev.loki.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Helpers for building events: a fresh id and a millisecond-precision timestamp. */
public final class Events {

    private Events() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
