package dev.loki.monitor.figures;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loki.support.Problems;

/**
 * The time window of a figure: [start, end] in ms and the bucket (downsampling) interval. Times in
 * OpenTSDB's formats ({@code 24h-ago}, epoch seconds, ...); the bucket defaults by the window's length
 * (≤ 2 h: 1m, ≤ 1 d: 5m, ≤ 7 d: 1h, else 1d).
 */
record Window(long startMs, long endMs, long intervalMs, String interval) {

    private static final Pattern INTERVAL = Pattern.compile("^(\\d{1,4})(m|h|d)$");
    private static final Pattern RELATIVE = Pattern.compile("^(\\d{1,5})(s|m|h|d|w)-ago$");

    static Window of(String start, String end, String downsample, String defaultStart, long nowMs) {
        long startMs = time("start", start == null || start.isBlank() ? defaultStart : start, nowMs);
        long endMs = end == null || end.isBlank() ? nowMs : time("end", end, nowMs);
        if (endMs <= startMs) {
            throw Problems.invalid("end", "must be after start");
        }
        if (endMs - startMs > 400L * 86_400_000) {
            throw Problems.invalid("start", "a figure covers at most 400 days");
        }
        String interval = downsample != null && !downsample.isBlank() ? downsample : defaultInterval(endMs - startMs);
        Matcher m = INTERVAL.matcher(interval);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw Problems.invalid("downsample", "an interval like 1m, 5m, 1h or 1d");
        }
        long ms = Long.parseLong(m.group(1)) * switch (m.group(2)) {
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        if ((endMs - startMs) / ms > 5_000) {
            throw Problems.invalid("downsample", "at most 5000 buckets; choose a longer interval");
        }
        return new Window(startMs, endMs, ms, interval);
    }

    double seconds() {
        return intervalMs / 1000.0;
    }

    private static String defaultInterval(long range) {
        if (range <= 2 * 3_600_000L) {
            return "1m";
        }
        if (range <= 86_400_000L) {
            return "5m";
        }
        return range <= 7 * 86_400_000L ? "1h" : "1d";
    }

    private static long time(String field, String text, long nowMs) {
        String value = text.strip();
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            return nowMs - amount * switch (relative.group(2)) {
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                default -> 7 * 86_400_000L;
            };
        }
        if (value.matches("^\\d{9,13}$")) {
            long epoch = Long.parseLong(value);
            return epoch < 100_000_000_000L ? epoch * 1000 : epoch;
        }
        try {
            return java.time.Instant.parse(value).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw Problems.invalid(field, "a time like 24h-ago, 1764162000 or 2026-11-26T12:00:00Z");
        }
    }
}
