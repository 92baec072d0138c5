package dev.loki.monitor.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.MultiValueMap;

import dev.loki.support.Problems;

/**
 * Reads OpenTSDB queries in both of OpenTSDB's forms: the URL form ({@code start}, {@code end},
 * {@code m=agg:[interval-agg:][rate:]metric{tags}{filters}}) and the JSON body of
 * {@code POST /api/query}. Bad input is a 400 naming the parameter.
 */
final class QueryParser {

    private static final Pattern METRIC = Pattern.compile("^[A-Za-z0-9._/-]{1,200}$");
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9._/-]{1,200}$");
    private static final Pattern FUNCTION = Pattern.compile("^([a-z_]+)\\((.*)\\)$");
    /** Top-level settings passed through to OpenTSDB. {@code delete} is not among them, on purpose. */
    private static final Map<String, String> OPTIONS = Map.of("msResolution", "msResolution", "ms", "msResolution",
            "showTSUIDs", "showTSUIDs", "show_tsuids", "showTSUIDs", "noAnnotations", "noAnnotations",
            "no_annotations", "noAnnotations", "globalAnnotations", "globalAnnotations", "global_annotations", "globalAnnotations");
    private static final Set<String> FLAG_VALUES = Set.of("", "true");

    private QueryParser() {
    }

    static TsdbQuery fromParams(MultiValueMap<String, String> params, long nowMs) {
        String start = params.getFirst("start");
        if (start == null || start.isBlank()) {
            throw Problems.invalid("start", "is required (e.g. 1h-ago)");
        }
        List<String> ms = params.getOrDefault("m", List.of());
        if (ms.isEmpty()) {
            throw Problems.invalid("m", "at least one is required, e.g. avg:host.cpu.usage{host=*}");
        }
        List<SubQuery> queries = new ArrayList<>();
        for (String m : ms) {
            queries.add(parseM(m));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        OPTIONS.forEach((param, option) -> {
            String value = params.getFirst(param);
            if (value != null && FLAG_VALUES.contains(value.strip())) {
                options.put(option, true);
            }
        });
        if (params.containsKey("delete")) {
            throw Problems.invalid("delete", "deleting data is not offered through Loki");
        }
        String end = params.getFirst("end");
        return range(start, end, queries, options, nowMs);
    }

    static TsdbQuery fromBody(Map<String, Object> body, long nowMs) {
        if (body.get("start") == null) {
            throw Problems.invalid("start", "is required (e.g. 1h-ago)");
        }
        if (Boolean.TRUE.equals(body.get("delete"))) {
            throw Problems.invalid("delete", "deleting data is not offered through Loki");
        }
        if (!(body.get("queries") instanceof List<?> list) || list.isEmpty()) {
            throw Problems.invalid("queries", "at least one sub-query is required");
        }
        List<SubQuery> queries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> q)) {
                throw Problems.invalid("queries[" + i + "]", "must be an object");
            }
            Map<String, Object> json = new LinkedHashMap<>();
            q.forEach((k, v) -> json.put(k.toString(), v));
            check("queries[" + i + "]", json);
            queries.add(new SubQuery(json));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        OPTIONS.values().forEach(option -> {
            if (Boolean.TRUE.equals(body.get(option))) {
                options.put(option, true);
            }
        });
        return range(body.get("start"), body.get("end"), queries, options, nowMs);
    }

    private static TsdbQuery range(Object start, Object end, List<SubQuery> queries, Map<String, Object> options, long nowMs) {
        long startMs = TsdbTime.parse("start", start, nowMs);
        long endMs = end == null || end.toString().isBlank() ? nowMs : TsdbTime.parse("end", end, nowMs);
        if (endMs <= startMs) {
            throw Problems.invalid("end", "must be after start");
        }
        return new TsdbQuery(startMs, endMs, queries, options);
    }

    /** {@code agg:[interval-agg[-fill]:][rate[{counter,max,reset}]:]metric[{tags}][{filters}]}. */
    static SubQuery parseM(String m) {
        List<String> parts = splitTopLevel(m.strip());
        if (parts.size() < 2) {
            throw Problems.invalid("m", "like avg:host.cpu.usage{host=*} or sum:1m-avg:rate:url.requests");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("aggregator", parts.get(0));
        for (String part : parts.subList(1, parts.size() - 1)) {
            if (part.startsWith("rate")) {
                json.put("rate", true);
                if (part.length() > 4) {
                    json.put("rateOptions", rateOptions(part.substring(4)));
                }
            } else if (part.equals("explicit_tags")) {
                json.put("explicitTags", true);
            } else if (part.contains("-")) {
                json.put("downsample", part);
            } else {
                throw Problems.invalid("m", "unknown part '" + part + "'");
            }
        }
        String last = parts.get(parts.size() - 1);
        int brace = last.indexOf('{');
        String metric = brace < 0 ? last : last.substring(0, brace);
        json.put("metric", metric);
        List<Map<String, Object>> filters = new ArrayList<>();
        if (brace >= 0) {
            String rest = last.substring(brace);
            int close = rest.indexOf('}');
            if (close < 0) {
                throw Problems.invalid("m", "unbalanced '{' in " + m);
            }
            filters.addAll(filters(rest.substring(1, close), true));
            String second = rest.substring(close + 1);
            if (!second.isEmpty()) {
                if (!second.startsWith("{") || !second.endsWith("}")) {
                    throw Problems.invalid("m", "a second tag block must look like {key=value}");
                }
                filters.addAll(filters(second.substring(1, second.length() - 1), false));
            }
        }
        if (!filters.isEmpty()) {
            json.put("filters", filters);
        }
        check("m", json);
        return new SubQuery(json);
    }

    private static void check(String field, Map<String, Object> json) {
        Object metric = json.get("metric");
        if (metric == null || !METRIC.matcher(metric.toString()).matches()) {
            throw Problems.invalid(field, "metric names use letters, digits and . _ - /");
        }
        if (json.get("aggregator") == null || json.get("aggregator").toString().isBlank()) {
            throw Problems.invalid(field, "an aggregator (e.g. avg, sum, max) is required");
        }
        if (json.get("downsample") != null) {
            new SubQuery(json).downsampleMs();
        }
    }

    private static Map<String, Object> rateOptions(String braces) {
        if (!braces.startsWith("{") || !braces.endsWith("}")) {
            throw Problems.invalid("m", "rate options look like rate{counter,max,reset}");
        }
        String[] values = braces.substring(1, braces.length() - 1).split(",");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("counter", values[0].strip().equals("counter"));
        try {
            if (values.length > 1 && !values[1].isBlank()) {
                options.put("counterMax", Long.parseLong(values[1].strip()));
            }
            if (values.length > 2 && !values[2].isBlank()) {
                options.put("resetValue", Long.parseLong(values[2].strip()));
            }
        } catch (NumberFormatException e) {
            throw Problems.invalid("m", "rate counter max and reset value must be numbers");
        }
        return options;
    }

    private static List<Map<String, Object>> filters(String body, boolean groupBy) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (body.isBlank()) {
            return out;
        }
        for (String pair : splitTopLevel(body, ',')) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw Problems.invalid("m", "tags look like {host=web1,idc=*}");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (!TAG.matcher(key).matches()) {
                throw Problems.invalid("m", "tag keys use letters, digits and . _ - /");
            }
            Map<String, Object> filter = new LinkedHashMap<>();
            Matcher fn = FUNCTION.matcher(value);
            if (fn.matches()) {
                filter.put("type", fn.group(1));
                filter.put("filter", fn.group(2));
            } else if (value.contains("*")) {
                filter.put("type", "wildcard");
                filter.put("filter", value);
            } else {
                filter.put("type", "literal_or");
                filter.put("filter", value);
            }
            filter.put("tagk", key);
            filter.put("groupBy", groupBy);
            out.add(filter);
        }
        return out;
    }

    private static List<String> splitTopLevel(String text) {
        return splitTopLevel(text, ':');
    }

    /** Splits on {@code separator} outside braces and parentheses. */
    private static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '{' || c == '(') {
                depth++;
            } else if (c == '}' || c == ')') {
                depth--;
            }
            if (c == separator && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
