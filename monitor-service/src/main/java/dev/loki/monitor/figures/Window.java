package dev.loki.monitor.figures;

import java.util.regex.Pattern;

import dev.loki.monitor.query.TsdbTime;
import dev.loki.support.Problems;

/**
 * The time window of a figure: [start, end] in ms and the bucket (downsampling) interval. Times in
 * OpenTSDB's formats ({@code 24h-ago}, epoch seconds, ..., read by {@link TsdbTime}); the bucket
 * defaults by the window's length (≤ 2 h: 1m, ≤ 1 d: 5m, ≤ 7 d: 1h, else 1d).
 */
record Window(long startMs, long endMs, long intervalMs, String interval) {

    private static final Pattern INTERVAL = Pattern.compile("^(\\d{1,4})(m|h|d)$");

    static Window of(String start, String end, String downsample, String defaultStart, long nowMs) {
        long startMs = TsdbTime.parse("start", start == null || start.isBlank() ? defaultStart : start, nowMs);
        long endMs = end == null || end.isBlank() ? nowMs : TsdbTime.parse("end", end, nowMs);
        if (endMs <= startMs) {
            throw Problems.invalid("end", "must be after start");
        }
        if (endMs - startMs > 400L * 86_400_000) {
            throw Problems.invalid("start", "a figure covers at most 400 days");
        }
        String interval = downsample != null && !downsample.isBlank() ? downsample : defaultInterval(endMs - startMs);
        if (!INTERVAL.matcher(interval).matches()) {
            throw Problems.invalid("downsample", "an interval like 1m, 5m, 1h or 1d");
        }
        long ms = TsdbTime.interval("downsample", interval);
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
}
