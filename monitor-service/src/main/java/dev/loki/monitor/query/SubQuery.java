package dev.loki.monitor.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One OpenTSDB sub-query, kept as OpenTSDB's own JSON ({@code aggregator}, {@code metric},
 * {@code downsample}, {@code rate}, {@code tags}, {@code filters}, ...) so every option passes through;
 * the few facts the cache needs are read from it.
 */
record SubQuery(Map<String, Object> json) {

    String metric() {
        return String.valueOf(json.get("metric"));
    }

    /** The downsampling interval in ms; 0 without downsampling, -1 for {@code all}. */
    long downsampleMs() {
        Object downsample = json.get("downsample");
        if (downsample == null || downsample.toString().isBlank() || downsample.toString().equals("none")) {
            return 0;
        }
        String interval = downsample.toString().split("-")[0];
        return TsdbTime.interval("downsample", interval);
    }

    boolean rate() {
        return Boolean.TRUE.equals(json.get("rate")) || "true".equals(String.valueOf(json.get("rate")));
    }

    /** The tag keys results are grouped by: every key of {@code tags} and every group-by filter. */
    TreeSet<String> groupByKeys() {
        TreeSet<String> keys = new TreeSet<>();
        if (json.get("tags") instanceof Map<?, ?> tags) {
            tags.keySet().forEach(k -> keys.add(k.toString()));
        }
        if (json.get("filters") instanceof List<?> filters) {
            for (Object f : filters) {
                if (f instanceof Map<?, ?> filter && Boolean.TRUE.equals(filter.get("groupBy"))) {
                    keys.add(String.valueOf(filter.get("tagk")));
                }
            }
        }
        return keys;
    }

    SubQuery copy() {
        return new SubQuery(new LinkedHashMap<>(json));
    }
}
