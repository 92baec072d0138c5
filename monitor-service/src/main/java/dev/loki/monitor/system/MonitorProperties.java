package dev.loki.monitor.system;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * monitor-service settings ({@code loki.monitor.*}).
 *
 * @param opentsdbUri OpenTSDB's base URI
 * @param ptreeUri ptree-service (URLs and servers bound to nodes)
 * @param assetUri asset-service (which servers are in the pool)
 * @param zkConnect ZooKeeper (leader election: one replica evaluates alert rules)
 * @param queryTimeout how long one upstream query may take
 * @param maxRange the longest time range a query may cover
 * @param maxRawRange the longest range of a query without downsampling (raw points are many)
 * @param maxSubQueries sub-queries per request
 * @param maxSeries series in one answer
 * @param maxPointsPerSeries points one series of an answer may have (range ÷ downsample), checked before fetching
 * @param settle how long after a time block ends its data is taken as final (late points)
 * @param blockTtl how long a final block stays in the cache
 * @param blockCacheMaxBlocks blocks the shared Redis cache may hold (all replicas together); the oldest go first
 * @param blockCacheMaxBytes bytes of block values the shared Redis cache may hold; a block over 1/16 of it is not stored
 * @param rulesInterval how often the leader evaluates the alert rules
 * @param maxAnswerSize the largest answer read from OpenTSDB for one sub-query; reading stops there (400)
 * @param maxConcurrentQueriesPerCaller reads one caller may have in flight on one replica; more answer 429
 * @param answerTtl how long an answer is shared by identical queries over the same aligned window (0: never)
 */
@Validated
@ConfigurationProperties("loki.monitor")
public record MonitorProperties(
        URI opentsdbUri,
        URI ptreeUri,
        URI assetUri,
        String zkConnect,
        @DefaultValue("10s") Duration queryTimeout,
        @DefaultValue("400d") Duration maxRange,
        @DefaultValue("2d") Duration maxRawRange,
        @DefaultValue("20") int maxSubQueries,
        @DefaultValue("2000") int maxSeries,
        @DefaultValue("50000") int maxPointsPerSeries,
        @DefaultValue("2m") Duration settle,
        @DefaultValue("8d") Duration blockTtl,
        @DefaultValue("100000") @Positive int blockCacheMaxBlocks,
        @DefaultValue("256MB") DataSize blockCacheMaxBytes,
        @DefaultValue("15s") Duration rulesInterval,
        @DefaultValue("10s") Duration answerTtl,
        @DefaultValue("16MB") DataSize maxAnswerSize,
        @DefaultValue("8") @Positive int maxConcurrentQueriesPerCaller) {
}
