package dev.loki.alarm.alarm;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.loki.events.Hostname;
import dev.loki.support.ValidNodePath;

/** The bodies alarm-service accepts. */
final class AlarmRequests {

    static final String SEVERITY = "info|warning|critical";
    static final String SEVERITY_MESSAGE = "one of info, warning, critical";
    static final String LABEL = "^[A-Za-z_][A-Za-z0-9_.-]{0,63}$";
    static final String LABEL_MESSAGE = "a label name: letters, digits, '_', '.' or '-', not starting with a digit, at most 64";

    private AlarmRequests() {
    }

    /**
     * {@code POST /api/alarm/alarms}: another tool reports a problem ({@code status} firing, the default) or
     * that it is over ({@code status} resolved). One fingerprint is one alarm while it is open.
     */
    record Raise(@NotBlank @Size(max = 255) @Pattern(regexp = "^[\\x21-\\x7e]+$", message = "printable ASCII without spaces, at most 255")
                 String fingerprint,
                 @NotNull @ValidNodePath String nodePath,
                 @Size(max = 253) @Pattern(regexp = Hostname.PATTERN, message = Hostname.MESSAGE)
                 String hostname,
                 @Pattern(regexp = SEVERITY, message = SEVERITY_MESSAGE) String severity,
                 @Size(max = 300) @Pattern(regexp = "^[^\\p{Cc}]*$", message = "no control characters") String title,
                 @Size(max = 4000) String description,
                 @Size(max = 32) Map<@Pattern(regexp = LABEL, message = LABEL_MESSAGE) String, @NotNull @Size(max = 200) String> labels,
                 @Pattern(regexp = "firing|resolved", message = "firing or resolved") String status) {
    }

    /** {@code POST /api/alarm/alarms/{id}/ack} and {@code /resolve}: an optional note. */
    record Note(@Size(max = 2000) String note) {
    }

    /** {@code POST /api/alarm/alarms/{id}/notes}. */
    record Text(@NotBlank @Size(max = 2000) String text) {
    }
}
