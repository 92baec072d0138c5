package dev.loki.gateway.system;

import java.time.Duration;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4jBulkheadConfigurationBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

/**
 * One circuit breaker per route (named after the service), each with its own timeout: a slow
 * service answers 504, a failing one opens its circuit (503) without touching the others.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    /**
     * Spring Cloud CircuitBreaker also puts a semaphore bulkhead on each route, 25 concurrent calls by
     * default: far too few for a gateway (32 keep-alive clients already overflow it). Each route may
     * have {@code loki.gateway.max-concurrent-calls} in flight; beyond that it answers 503 at once.
     */
    @Bean
    Customizer<ReactiveResilience4jBulkheadProvider> perRouteBulkhead(GatewayProperties properties) {
        return provider -> provider.configureDefault(name -> new Resilience4jBulkheadConfigurationBuilder()
                .bulkheadConfig(BulkheadConfig.custom()
                        .maxConcurrentCalls(properties.maxConcurrentCalls())
                        .maxWaitDuration(Duration.ZERO)
                        .build())
                .build());
    }

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> perRouteResilience(GatewayProperties properties) {
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(3)
                .build();
        return factory -> factory.configureDefault(name -> new Resilience4JConfigBuilder(name)
                .circuitBreakerConfig(breaker)
                .timeLimiterConfig(TimeLimiterConfig.custom()
                        .timeoutDuration(properties.timeouts().getOrDefault(name, properties.upstreamTimeout()))
                        .cancelRunningFuture(true)
                        .build())
                .build());
    }
}
