package dev.loki.monitor.query;

import java.util.List;
import java.util.Map;

/**
 * A query as OpenTSDB's {@code /api/query} takes it, with the time range resolved to milliseconds.
 *
 * @param options the other top-level settings passed through (e.g. {@code msResolution}, {@code showTSUIDs})
 */
record TsdbQuery(long startMs, long endMs, List<SubQuery> queries, Map<String, Object> options) {

    boolean msResolution() {
        return Boolean.TRUE.equals(options.get("msResolution"));
    }
}
