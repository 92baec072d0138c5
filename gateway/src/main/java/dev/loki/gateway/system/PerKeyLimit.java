package dev.loki.gateway.system;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code limit} holders per key at once (calls in flight, open streams); a key's entry goes with
 * its last holder, so idle keys hold no memory.
 */
public final class PerKeyLimit {

    private final int limit;
    private final ConcurrentHashMap<String, AtomicInteger> held = new ConcurrentHashMap<>();

    public PerKeyLimit(int limit) {
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Takes a place for {@code key}; false when all its places are taken. */
    public boolean acquire(String key) {
        boolean[] admitted = {false};
        held.compute(key, (k, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < limit) {
                current.incrementAndGet();
                admitted[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        return admitted[0];
    }

    /** Gives back a place taken with {@link #acquire}. */
    public void release(String key) {
        held.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
