package dev.loki.alarm.silence;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.loki.support.ValidNodePath;

/** {@code POST /api/alarm/silences}. */
record SilenceRequest(@NotNull @ValidNodePath String nodePath,
                      @Size(max = 20) List<@NotNull @Valid Matcher> matchers,
                      @NotNull Instant startsAt,
                      @NotNull Instant endsAt,
                      @Pattern(regexp = "daily|weekly", message = "daily or weekly") String repeat,
                      @NotBlank @Size(max = 500) String comment) {

    record Matcher(@NotBlank @Size(max = 64) @Pattern(regexp = "^[A-Za-z_][A-Za-z0-9_.-]{0,63}$",
                           message = "a label name: letters, digits, '_', '.' or '-', not starting with a digit") String label,
                   @NotNull @Size(max = 255) String value) {
    }
}
