package dev.loki.alarm.notify;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Work each replica does every {@code interval}, from once every bean is ready (the schema migrated) until
 * shut-down, one round at a time; a failed round is logged and the next one tries again.
 */
abstract class PollingWork implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollingWork.class);

    private final String what;
    private final Duration interval;
    private volatile Disposable loop;

    PollingWork(String what, Duration interval) {
        this.what = what;
        this.interval = interval;
    }

    /** One round of the work. */
    abstract Mono<Void> round();

    @Override
    public void start() {
        loop = Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(this::round).onErrorResume(e -> {
                    log.warn("{} failed: {}", what, e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        if (loop != null) {
            loop.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }
}
