package dev.loki.monitor.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.monitor.system.MonitorProperties;
import dev.loki.monitor.tsdb.OpenTsdb;
import dev.loki.support.LokiProblem;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers OpenTSDB queries, reading as little as possible from OpenTSDB.
 *
 * <p>A downsampled sub-query is cut into time blocks aligned to the epoch (10 min, 1 h or 1 day, a
 * multiple of the downsampling interval, so every downsampling bucket lies in exactly one block).
 * Blocks that ended more than {@code settle} ago are final and come from Redis when cached; the
 * others — typically the last few minutes of a dashboard's range — are read from OpenTSDB in as few
 * contiguous requests as possible, and the final ones among them are cached. Rate queries read one
 * interval more before each request so the first bucket's rate is right. Results are merged per
 * series exactly as OpenTSDB would answer over the whole range. Queries without downsampling go
 * straight through.
 *
 * <p>Identical downsampled queries over the same aligned window share one answer for
 * {@code answerTtl} (10 s by default): a dashboard open in many browsers costs OpenTSDB one small
 * query per 10 s, and its newest point is at most that much older than OpenTSDB's.
 *
 * <p>When OpenTSDB cannot answer, a query whose final blocks are cached answers from them, marked
 * stale; otherwise 503.
 */
@Service
public class QueryService {

    private static final long[] BLOCKS = {600_000L, 3_600_000L, 86_400_000L};
    private static final int MAX_BLOCKS = 200;

    /** The series in OpenTSDB's shape, and whether any part came from the cache because OpenTSDB failed. */
    public record Result(List<Map<String, Object>> series, boolean stale, byte[][] encoded) {

        public Result(List<Map<String, Object>> series, boolean stale) {
            this(series, stale, new byte[1][]);
        }

        /** The answer as JSON, encoded once however often a shared answer is served. */
        byte[] json(tools.jackson.databind.json.JsonMapper mapper) {
            byte[] bytes = encoded[0];
            if (bytes == null) {
                bytes = mapper.writeValueAsBytes(series);
                encoded[0] = bytes;
            }
            return bytes;
        }
    }

    private final OpenTsdb tsdb;
    private final BlockCache cache;
    private final MonitorProperties properties;
    private final Clock clock;
    /** Whole answers, shared for {@code answerTtl} by identical queries over the same aligned window. */
    private final Cache<String, Result> answers;

    QueryService(OpenTsdb tsdb, BlockCache cache, MonitorProperties properties) {
        this.tsdb = tsdb;
        this.cache = cache;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(properties.answerTtl().isZero() ? java.time.Duration.ofNanos(1) : properties.answerTtl())
                .maximumWeight(2_000_000)
                .weigher((String key, Result r) -> 1 + r.series().stream()
                        .mapToInt(s -> s.get("dps") instanceof Map<?, ?> dps ? dps.size() : 0).sum())
                .build();
    }

    /**
     * For the computed figures: sub-queries given as OpenTSDB JSON over [startMs, endMs], through the
     * cache. A metric OpenTSDB has never seen answers no series (not an error).
     */
    public Mono<List<Map<String, Object>>> series(long startMs, long endMs, List<Map<String, Object>> subQueries) {
        return series(startMs, endMs, subQueries, true);
    }

    /** {@code share}: false never answers from a recent identical query's answer (a decision that must see the newest points). */
    public Mono<List<Map<String, Object>>> series(long startMs, long endMs, List<Map<String, Object>> subQueries, boolean share) {
        List<SubQuery> subs = subQueries.stream().map(SubQuery::new).toList();
        return Flux.fromIterable(subs)
                .concatMap(sub -> query(new TsdbQuery(startMs, endMs, List.of(sub), Map.of()), share)
                        .map(Result::series)
                        .onErrorResume(LokiProblem.class, e -> e.getStatusCode().value() == 400 && String.valueOf(e.getBody().getDetail())
                                .contains("No such name") ? Mono.just(List.of()) : Mono.error(e)))
                .collectList()
                .map(parts -> parts.stream().flatMap(List::stream).toList());
    }

    /** Whether a sub-query filters tags by regular expression ({@code filters} or the older {@code tags} form). */
    static boolean usesRegexp(SubQuery sub) {
        if (sub.json().get("filters") instanceof List<?> filters) {
            for (Object f : filters) {
                if (f instanceof Map<?, ?> filter && String.valueOf(filter.get("type")).toLowerCase(java.util.Locale.ROOT).contains("regexp")) {
                    return true;
                }
            }
        }
        if (sub.json().get("tags") instanceof Map<?, ?> tags) {
            return tags.values().stream().anyMatch(v -> String.valueOf(v).toLowerCase(java.util.Locale.ROOT).contains("regexp("));
        }
        return false;
    }

    Mono<Result> query(TsdbQuery query) {
        return query(query, true);
    }

    /** {@code share}: false answers from OpenTSDB's newest data (request header {@code Cache-Control: no-cache}). */
    Mono<Result> query(TsdbQuery query, boolean share) {
        long range = query.endMs() - query.startMs();
        if (range > properties.maxRange().toMillis()) {
            throw Problems.invalid("start", "the range may cover at most " + properties.maxRange().toDays() + " days");
        }
        if (query.queries().size() > properties.maxSubQueries()) {
            throw Problems.invalid("m", "at most " + properties.maxSubQueries() + " sub-queries per request");
        }
        for (SubQuery sub : query.queries()) {
            if (sub.downsampleMs() == 0 && range > properties.maxRawRange().toMillis()) {
                throw Problems.invalid("downsample", "without downsampling the range may cover at most "
                        + properties.maxRawRange().toHours() + " hours; add e.g. 5m-avg");
            }
            // before anything is fetched: a tiny interval (1ms-avg) over a long range is as costly as raw data
            if (sub.downsampleMs() > 0 && range / sub.downsampleMs() > properties.maxPointsPerSeries()) {
                long least = (range + properties.maxPointsPerSeries() - 1) / properties.maxPointsPerSeries();
                throw Problems.invalid("downsample", "at most " + properties.maxPointsPerSeries() + " points per series: over this range "
                        + "downsample by at least " + Math.max(1, least / 1000) + " s");
            }
            if (usesRegexp(sub)) {
                throw Problems.invalid("m", "regexp tag filters are not accepted (they make OpenTSDB scan every series); "
                        + "use values, a|b alternatives or wildcards");
            }
        }
        long now = clock.millis();
        String shared = share ? answerKey(query) : null;
        Result known = shared == null ? null : answers.getIfPresent(shared);
        if (known != null) {
            return Mono.just(known);
        }
        return Flux.fromIterable(query.queries())
                .concatMap(sub -> subQuery(query, sub, now))
                .collectList()
                .map(parts -> {
                    List<Map<String, Object>> series = new ArrayList<>();
                    boolean stale = false;
                    for (Result part : parts) {
                        series.addAll(part.series());
                        stale |= part.stale();
                    }
                    if (series.size() > properties.maxSeries()) {
                        throw Problems.invalid("m", "the answer would hold " + series.size() + " series, more than "
                                + properties.maxSeries() + "; narrow the tags or aggregate");
                    }
                    Result result = new Result(series, stale);
                    if (shared != null && !stale) {
                        answers.put(shared, result);
                    }
                    return result;
                });
    }

    /**
     * The key under which identical downsampled queries over the same aligned window share an answer
     * (a dashboard open in many browsers, or refreshed quickly); null when the query is not cacheable.
     */
    private String answerKey(TsdbQuery query) {
        if (properties.answerTtl().isZero() || query.msResolution()) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (SubQuery sub : query.queries()) {
            long interval = sub.downsampleMs();
            if (interval <= 0 || interval % 1000 != 0) {
                return null;
            }
            key.append(cache.identity(sub, query.options())).append(':')
                    .append(floor(query.startMs() + interval - 1, interval)).append(':')
                    .append(floor(query.endMs(), interval)).append(';');
        }
        return key.toString();
    }

    /** A query of the whole range straight from OpenTSDB (what the cache must be equal to). */
    public Mono<List<Map<String, Object>>> direct(TsdbQuery query) {
        return Flux.fromIterable(query.queries())
                .concatMap(sub -> tsdb.query(body(query.startMs(), query.endMs(), sub, query.options())))
                .collectList()
                .map(parts -> parts.stream().flatMap(List::stream).toList());
    }

    private Mono<Result> subQuery(TsdbQuery query, SubQuery sub, long now) {
        long interval = sub.downsampleMs();
        if (interval <= 0 || interval % 1000 != 0 || query.msResolution()) {
            return tsdb.query(body(query.startMs(), query.endMs(), sub, query.options())).map(s -> new Result(s, false));
        }
        // OpenTSDB answers the buckets whose timestamps lie in [start, end]
        long alignedStart = floor(query.startMs() + interval - 1, interval);
        long alignedEnd = floor(query.endMs(), interval) + interval;
        long block = blockSize(interval, alignedEnd - alignedStart);
        List<Long> starts = new ArrayList<>();
        for (long b = floor(alignedStart, block); b < alignedEnd; b += block) {
            starts.add(b);
        }
        String identity = cache.identity(sub, query.options());
        List<Long> finals = starts.stream().filter(b -> b + block + properties.settle().toMillis() <= now).toList();
        List<String> keys = finals.stream().map(b -> cache.key(identity, block, b)).toList();
        return cache.get(keys).flatMap(cached -> {
            TreeMap<Long, List<Map<String, Object>>> blocks = new TreeMap<>();
            for (int i = 0; i < finals.size(); i++) {
                if (cached.get(i) != null) {
                    blocks.put(finals.get(i), cached.get(i));
                }
            }
            List<long[]> runs = missingRuns(starts, blocks.keySet(), block);
            return Flux.fromIterable(runs)
                    .concatMap(run -> fetchRun(run[0], run[1], block, interval, sub, query.options()))
                    .collectList()
                    .flatMap(fetched -> {
                        Map<String, List<Map<String, Object>>> toCache = new LinkedHashMap<>();
                        for (Map<Long, List<Map<String, Object>>> part : fetched) {
                            part.forEach((start, series) -> {
                                blocks.put(start, series);
                                if (start + block + properties.settle().toMillis() <= now) {
                                    toCache.put(cache.key(identity, block, start), series);
                                }
                            });
                        }
                        return cache.put(toCache).thenReturn(new Result(merge(blocks, sub, alignedStart, alignedEnd), false));
                    })
                    .onErrorResume(LokiProblem.class, e -> e.getStatusCode().value() == 503 && !blocks.isEmpty()
                            ? Mono.just(new Result(merge(blocks, sub, alignedStart, alignedEnd), true))
                            : Mono.error(e));
        });
    }

    /** Reads [start, end) from OpenTSDB and cuts the answer into blocks (every block of the run, empty ones too). */
    private Mono<Map<Long, List<Map<String, Object>>>> fetchRun(long start, long end, long block, long interval, SubQuery sub,
                                                                Map<String, Object> options) {
        long from = sub.rate() ? start - interval : start;
        return tsdb.query(body(from, end - 1, sub, options)).map(series -> {
            Map<Long, List<Map<String, Object>>> out = new TreeMap<>();
            for (long b = start; b < end; b += block) {
                out.put(b, new ArrayList<>());
            }
            for (Map<String, Object> s : series) {
                Map<Long, Map<String, Object>> perBlock = new TreeMap<>();
                if (s.get("dps") instanceof Map<?, ?> dps) {
                    for (Map.Entry<?, ?> dp : dps.entrySet()) {
                        long t = Long.parseLong(dp.getKey().toString()) * 1000;
                        if (t < start || t >= end) {
                            continue;
                        }
                        long b = floor(t - start, block) + start;
                        perBlock.computeIfAbsent(b, x -> {
                            Map<String, Object> copy = new LinkedHashMap<>(s);
                            copy.put("dps", new LinkedHashMap<String, Object>());
                            return copy;
                        });
                        @SuppressWarnings("unchecked")
                        Map<String, Object> blockDps = (Map<String, Object>) perBlock.get(b).get("dps");
                        blockDps.put(dp.getKey().toString(), dp.getValue());
                    }
                }
                perBlock.forEach((b, copy) -> out.get(b).add(copy));
            }
            return out;
        });
    }

    /** Joins the blocks' series: same metric and group-by tags → one series; tags common to all parts stay. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> merge(TreeMap<Long, List<Map<String, Object>>> blocks, SubQuery sub, long startMs, long endMs) {
        TreeSet<String> groupBy = sub.groupByKeys();
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        long lastBlock = blocks.isEmpty() ? 0 : blocks.lastKey();
        long firstBlock = blocks.isEmpty() ? 0 : blocks.firstKey();
        for (Map.Entry<Long, List<Map<String, Object>>> block : blocks.entrySet()) {
            // only the first and the last block can reach outside the window
            boolean edge = block.getKey() == firstBlock || block.getKey() == lastBlock;
            for (Map<String, Object> s : block.getValue()) {
                Map<String, Object> tags = s.get("tags") instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
                StringBuilder key = new StringBuilder(String.valueOf(s.get("metric")));
                for (String k : groupBy) {
                    key.append('\u0000').append(k).append('=').append(tags.get(k));
                }
                Map<String, Object> target = merged.get(key.toString());
                if (target == null) {
                    target = new LinkedHashMap<>(s);
                    target.put("tags", new TreeMap<>(tags));
                    target.put("aggregateTags", new TreeSet<>(s.get("aggregateTags") instanceof List<?> a
                            ? a.stream().map(Object::toString).toList() : List.of()));
                    target.put("dps", new LinkedHashMap<String, Object>());
                    merged.put(key.toString(), target);
                } else {
                    Map<String, Object> common = (Map<String, Object>) target.get("tags");
                    TreeSet<String> aggregate = (TreeSet<String>) target.get("aggregateTags");
                    common.entrySet().removeIf(e -> {
                        boolean differs = !e.getValue().equals(tags.get(e.getKey()));
                        if (differs) {
                            aggregate.add(e.getKey());
                        }
                        return differs;
                    });
                    if (s.get("aggregateTags") instanceof List<?> a) {
                        a.forEach(x -> aggregate.add(x.toString()));
                    }
                }
                Map<String, Object> dps = (Map<String, Object>) target.get("dps");
                if (s.get("dps") instanceof Map<?, ?> d) {
                    if (!edge) {
                        ((Map<Object, Object>) (Map<?, ?>) dps).putAll(d);
                    } else {
                        d.forEach((t, v) -> {
                            long ms = Long.parseLong(t.toString()) * 1000;
                            if (ms >= startMs && ms < endMs) {
                                dps.put(t.toString(), v);
                            }
                        });
                    }
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : merged.values()) {
            if (((Map<?, ?>) s.get("dps")).isEmpty()) {
                continue;
            }
            s.put("aggregateTags", new ArrayList<>((TreeSet<String>) s.get("aggregateTags")));
            out.add(s);
        }
        return out;
    }

    /** Contiguous runs of blocks not yet known, as [start, end) pairs. */
    private static List<long[]> missingRuns(List<Long> starts, java.util.Set<Long> known, long block) {
        List<long[]> runs = new ArrayList<>();
        long[] current = null;
        for (long b : starts) {
            if (known.contains(b)) {
                current = null;
            } else if (current != null && current[1] == b) {
                current[1] = b + block;
            } else {
                current = new long[] {b, b + block};
                runs.add(current);
            }
        }
        return runs;
    }

    private static long blockSize(long interval, long range) {
        for (long candidate : BLOCKS) {
            if (candidate % interval == 0 && range / candidate <= MAX_BLOCKS) {
                return candidate;
            }
        }
        long blocks = Math.max(1, (range / MAX_BLOCKS + interval - 1) / interval);
        return interval * blocks;
    }

    private static long floor(long value, long unit) {
        return Math.floorDiv(value, unit) * unit;
    }

    private static Map<String, Object> body(long startMs, long endMs, SubQuery sub, Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>(options);
        body.put("start", startMs);
        body.put("end", endMs);
        body.put("queries", List.of(sub.json()));
        return body;
    }
}
