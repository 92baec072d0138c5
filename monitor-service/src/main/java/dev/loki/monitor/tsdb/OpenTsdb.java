package dev.loki.monitor.tsdb;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.LokiProblem;
import dev.loki.support.Problems;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.context.Context;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to OpenTSDB. Every call has a time limit and goes through a circuit breaker; reads
 * (queries, suggest) are retried once on a connection failure or a 5xx. OpenTSDB unreachable, slow or
 * failing → {@link #unavailable()} (503); OpenTSDB refusing the request (4xx) → 400 with its message;
 * an answer larger than {@code loki.monitor.max-answer-size} → 400 (reading stops there).
 * Alert rule evaluation has a breaker of its own ({@link #alerting}): users' slow queries opening the
 * queries' breaker never stop the alerts. Counts the points it reads ({@code loki.monitor.upstream.points}).
 */
@Component
public class OpenTsdb {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> SERIES = new ParameterizedTypeReference<>() {
    };

    private final WebClient http;
    private final Duration timeout;
    private final DataSize maxAnswerSize;
    private final CircuitBreaker breaker;
    private final CircuitBreaker alertingBreaker;
    private final Retry retry;
    private final Counter points;
    private final Counter queries;
    private final JsonMapper json = JsonMapper.builder().build();

    OpenTsdb(WebClient.Builder builder, MonitorProperties properties, MeterRegistry meters) {
        HttpClient client = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .responseTimeout(properties.queryTimeout());
        this.http = builder.baseUrl(properties.opentsdbUri().toString()).clientConnector(new ReactorClientHttpConnector(client))
                .codecs(c -> c.defaultCodecs().maxInMemorySize((int) Math.min(Integer.MAX_VALUE, properties.maxAnswerSize().toBytes())))
                .build();
        this.timeout = properties.queryTimeout();
        this.maxAnswerSize = properties.maxAnswerSize();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowSize(20).minimumNumberOfCalls(5).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5)).permittedNumberOfCallsInHalfOpenState(2)
                .ignoreExceptions(WebClientResponseException.BadRequest.class, WebClientResponseException.NotFound.class)
                .ignoreException(e -> Problems.causedBy(e, DataBufferLimitException.class))
                .build();
        this.breaker = CircuitBreaker.of("opentsdb", breakerConfig);
        this.alertingBreaker = CircuitBreaker.of("opentsdb-alerting", breakerConfig);
        this.retry = Retry.of("opentsdb-read", RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(200))
                .retryOnException(OpenTsdb::transientFailure).build());
        this.points = Counter.builder("loki.monitor.upstream.points").description("data points read from OpenTSDB").register(meters);
        this.queries = Counter.builder("loki.monitor.upstream.queries").description("queries sent to OpenTSDB").register(meters);
    }

    /** {@code POST /api/query}; answers OpenTSDB's series as JSON maps. */
    public Mono<List<Map<String, Object>>> query(Map<String, Object> body) {
        return guarded(http.post().uri("/api/query").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                        .retrieve().bodyToMono(SERIES), true)
                .defaultIfEmpty(List.of())
                .doOnNext(series -> {
                    queries.increment();
                    points.increment(series.stream().mapToInt(s -> s.get("dps") instanceof Map<?, ?> dps ? dps.size() : 0).sum());
                });
    }

    /** {@code GET /api/suggest}. */
    public Mono<List<String>> suggest(String type, String q, int max) {
        // values as URI variables: encoded whatever they hold (a literal "{...}" in q is no template)
        return guarded(http.get().uri(b -> b.path("/api/suggest").queryParam("type", "{type}").queryParam("q", "{q}")
                        .queryParam("max", max).build(type, q))
                .retrieve().bodyToMono(new ParameterizedTypeReference<List<String>>() {
                }), true).defaultIfEmpty(List.of());
    }

    /** {@code POST /api/put?details} (with {@code sync} when asked); answers OpenTSDB's summary. */
    public Mono<Map<String, Object>> put(Object body, boolean sync) {
        return guarded(http.post().uri(b -> {
                    b.path("/api/put").queryParam("details", "");
                    if (sync) {
                        b.queryParam("sync", "").queryParam("sync_timeout", 10_000);
                    }
                    return b.build();
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
                }).defaultIfEmpty(Map.of()).flatMap(summary -> response.statusCode().is5xxServerError()
                        ? Mono.error(new IOException("OpenTSDB answered " + response.statusCode()))
                        : Mono.just(summary))), false);
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** The state of the breaker alert rule evaluation goes through. */
    public CircuitBreaker.State alertingState() {
        return alertingBreaker.getState();
    }

    /** Marks the calls of a pipeline as alert rule evaluation's: {@code mono.contextWrite(OpenTsdb::alerting)}. */
    public static Context alerting(Context context) {
        return context.put(LANE, ALERTING);
    }

    private static final String LANE = OpenTsdb.class.getName() + ".lane";
    private static final String ALERTING = "alerting";

    private <T> Mono<T> guarded(Mono<T> call, boolean idempotent) {
        Mono<T> limited = call.timeout(timeout);
        if (idempotent) {
            limited = limited.transformDeferred(RetryOperator.of(retry));
        }
        Mono<T> bounded = limited;
        return Mono.deferContextual(context -> bounded.transformDeferred(CircuitBreakerOperator.of(
                        ALERTING.equals(context.getOrDefault(LANE, "")) ? alertingBreaker : breaker)))
                .onErrorMap(e -> Problems.causedBy(e, DataBufferLimitException.class), e -> new LokiProblem(HttpStatus.BAD_REQUEST, "answer-too-large",
                        "Answer too large", "OpenTSDB's answer is larger than " + maxAnswerSize
                        + "; narrow the tags, aggregate more or downsample more"))
                .onErrorMap(WebClientResponseException.class, e -> e.getStatusCode().is4xxClientError()
                        ? new LokiProblem(HttpStatus.BAD_REQUEST,
                        "opentsdb-refused", "OpenTSDB refused the request", message(e)) : unavailable())
                .onErrorMap(e -> !(e instanceof LokiProblem), e -> unavailable());
    }

    private String message(WebClientResponseException e) {
        try {
            JsonNode error = json.readTree(e.getResponseBodyAsString()).path("error");
            String message = error.path("message").asString("");
            return message.isEmpty() ? e.getStatusText() : message;
        } catch (RuntimeException parse) {
            return e.getStatusText();
        }
    }


    private static boolean transientFailure(Throwable e) {
        return !Problems.causedBy(e, DataBufferLimitException.class) && (e instanceof WebClientRequestException || e instanceof TimeoutException || e instanceof IOException
                || (e instanceof WebClientResponseException r && r.getStatusCode().is5xxServerError()));
    }

    /** OpenTSDB cannot answer now (down, slow, failing, or the circuit breaker is open). */
    public static LokiProblem unavailable() {
        return new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE, "opentsdb-unavailable", "OpenTSDB unavailable",
                "OpenTSDB cannot be reached or is failing; try again shortly.");
    }
}
