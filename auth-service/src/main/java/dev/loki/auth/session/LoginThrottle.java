package dev.loki.auth.session;

import java.time.Duration;
import java.util.Locale;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.loki.auth.system.AuthProperties;
import dev.loki.support.LokiProblem;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Mono;

/**
 * Counts failed logins in Redis per user name and per client address (when one is known: see
 * {@link ClientAddress}; never the gateway's own, which every client shares). Once either count reaches
 * its limit within the window, logins for it answer 429 with {@code Retry-After} until the window
 * (which starts at the first failure) has passed. A successful login clears the user's count.
 */
@Component
class LoginThrottle {

    private final ReactiveStringRedisTemplate redis;
    private final AuthProperties.Login limits;
    private final String prefix;

    LoginThrottle(ReactiveStringRedisTemplate redis, AuthProperties properties, LokiProperties loki) {
        this.redis = redis;
        this.limits = properties.login();
        this.prefix = loki.redis().keyPrefix() + "auth:login-failures:";
    }

    /** Errors with 429 when the user or the address is currently throttled. */
    Mono<Void> check(String username, String address) {
        return throttled(userKey(username), limits.maxFailuresPerUser())
                .switchIfEmpty(address == null ? Mono.empty() : throttled(addressKey(address), limits.maxFailuresPerAddress()))
                .flatMap(wait -> Mono.<Void>error(new TooManyAttempts(wait)));
    }

    Mono<Void> failed(String username, String address) {
        return count(userKey(username)).then(address == null ? Mono.empty() : count(addressKey(address)));
    }

    Mono<Void> succeeded(String username) {
        return redis.delete(userKey(username)).then();
    }

    private Mono<Duration> throttled(String key, int limit) {
        return redis.opsForValue().get(key)
                .filter(n -> Long.parseLong(n) >= limit)
                .flatMap(n -> redis.getExpire(key))
                .map(ttl -> ttl.isNegative() || ttl.isZero() ? Duration.ofSeconds(1) : ttl);
    }

    private Mono<Void> count(String key) {
        return redis.opsForValue().increment(key)
                .flatMap(n -> n == 1 ? redis.expire(key, limits.window()) : Mono.just(true))
                .then();
    }

    private String userKey(String username) {
        return prefix + "user:" + username.toLowerCase(Locale.ROOT);
    }

    private String addressKey(String address) {
        return prefix + "addr:" + address;
    }

    static final class TooManyAttempts extends LokiProblem {
        TooManyAttempts(Duration wait) {
            super(HttpStatus.TOO_MANY_REQUESTS, "login-throttled", "Too many failed logins",
                    "Too many failed logins; try again in " + Math.max(1, wait.toSeconds()) + " s.");
            getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
            getBody().setProperty("retryAfterSeconds", Math.max(1, (wait.toMillis() + 999) / 1000));
        }
    }
}
