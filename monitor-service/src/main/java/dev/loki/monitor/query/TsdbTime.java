package dev.loki.monitor.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loki.support.Problems;

/**
 * OpenTSDB's time and interval formats: relative ({@code 1h-ago}), epoch seconds or milliseconds,
 * absolute {@code yyyy/MM/dd[-HH:mm[:ss]]} (read as UTC), and intervals like {@code 5m}.
 */
public final class TsdbTime {

    private static final Pattern RELATIVE = Pattern.compile("^(\\d+)(ms|s|m|h|d|w|n|y)-ago$");
    private static final Pattern INTERVAL = Pattern.compile("^(\\d+)(ms|s|m|h|d|w|n|y)$");
    private static final DateTimeFormatter[] ABSOLUTE = {
            DateTimeFormatter.ofPattern("uuuu/MM/dd-HH:mm:ss"), DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss"),
            DateTimeFormatter.ofPattern("uuuu/MM/dd-HH:mm"), DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm")};

    private TsdbTime() {
    }

    /** Milliseconds since the epoch; 400 naming {@code field} if it is none of OpenTSDB's formats. */
    public static long parse(String field, Object value, long nowMs) {
        if (value instanceof Number number) {
            return epoch(number.longValue());
        }
        String text = value == null ? "" : value.toString().strip();
        if (text.matches("^\\d{1,13}$")) {
            return epoch(Long.parseLong(text));
        }
        Matcher relative = RELATIVE.matcher(text);
        if (relative.matches()) {
            return nowMs - unitMs(Long.parseLong(relative.group(1)), relative.group(2));
        }
        for (DateTimeFormatter format : ABSOLUTE) {
            try {
                return LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        try {
            return LocalDate.parse(text, DateTimeFormatter.ofPattern("uuuu/MM/dd")).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Problems.invalid(field, "a time like 1h-ago, 1764162000, 2026/11/26-12:00:00 or 2026-11-26T12:00:00Z");
        }
    }

    /** An interval such as {@code 5m} in milliseconds, or -1 for {@code all}/{@code 0all}. */
    public static long interval(String field, String text) {
        if (text.equals("all") || text.endsWith("all")) {
            return -1;
        }
        Matcher m = INTERVAL.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw Problems.invalid(field, "an interval like 30s, 5m or 1h");
        }
        return unitMs(Long.parseLong(m.group(1)), m.group(2));
    }

    private static long epoch(long value) {
        return value < 100_000_000_000L ? value * 1000 : value;
    }

    private static long unitMs(long amount, String unit) {
        long ms = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            case "w" -> 7 * 86_400_000L;
            case "n" -> 30 * 86_400_000L;
            default -> 365 * 86_400_000L;
        };
        return amount * ms;
    }
}
