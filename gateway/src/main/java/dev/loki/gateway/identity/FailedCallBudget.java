package dev.loki.gateway.identity;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.gateway.system.GatewayProperties;

/**
 * How many failed calls (answered 401 by the gateway: no, a wrong, an unknown or an expired token)
 * each client address has made in the current window. Once an address has used its budget, the
 * gateway stops verifying new tokens from it (no auth-service lookup, no JWKS fetch) and answers 429
 * until the window ends; tokens it already knows to be good still pass, so one bad script does not
 * lock out a whole office behind one NAT address. Counted per gateway replica, in memory.
 */
@Component
class FailedCallBudget {

    private final int limit;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;

    FailedCallBudget(GatewayProperties properties) {
        this.limit = properties.failedCallsPerAddress();
        this.window = properties.failedCallsWindow();
        // a fixed window per address that starts with its first failure: the entry expires with the window
        this.failures = Caffeine.newBuilder().expireAfterWrite(window.toMillis(), TimeUnit.MILLISECONDS)
                .maximumSize(100_000).build();
    }

    /** Whether this address has no failed calls left in its window. */
    boolean exhausted(String address) {
        AtomicInteger count = failures.getIfPresent(address);
        return count != null && count.get() >= limit;
    }

    void recordFailure(String address) {
        failures.get(address, a -> new AtomicInteger()).incrementAndGet();
    }

    /** What to tell a client that is refused: at most the whole window. */
    Duration retryAfter() {
        return window;
    }
}
