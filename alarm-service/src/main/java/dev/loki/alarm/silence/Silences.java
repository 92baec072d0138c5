package dev.loki.alarm.silence;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Which silences hold back an alarm's notifications now. */
@Component
public class Silences {

    private final SilenceRepository silences;

    Silences(SilenceRepository silences) {
        this.silences = silences;
    }

    /** The silences that may apply to alarms on {@code nodePath} (on it or an ancestor, not over for good). */
    public Mono<List<Silence>> covering(String nodePath, Instant now) {
        return silences.covering(nodePath, now).collectList();
    }
}
