package dev.loki.deploy.ssh;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * At most {@code limit} holders at once, waiting without a thread: a caller that finds none free is
 * queued and resumed, first come first served, when a holder releases. Use it with
 * {@code Mono.usingWhen(permits.acquire(), …, Runnable::run)}; a waiter cancelled before or while it is
 * granted gives the permit back.
 */
final class Permits {

    private final AtomicInteger free;
    private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

    Permits(int limit) {
        this.free = new AtomicInteger(limit);
    }

    /** A permit; running the {@link Runnable} releases it (a second run does nothing). */
    Mono<Runnable> acquire() {
        return Mono.create(sink -> {
            Waiter waiter = new Waiter(sink);
            waiting.add(waiter);
            sink.onCancel(waiter::cancel);
            drain();
        });
    }

    int available() {
        return free.get();
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int now = free.get();
            if (now <= 0) {
                return;
            }
            if (!free.compareAndSet(now, now - 1)) {
                continue;
            }
            Waiter next = waiting.poll();
            if (next == null || !next.grant()) {
                free.incrementAndGet();
            }
        }
    }

    private final class Waiter {

        private final MonoSink<Runnable> sink;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean granted = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        Waiter(MonoSink<Runnable> sink) {
            this.sink = sink;
        }

        boolean grant() {
            if (cancelled.get()) {
                return false;
            }
            granted.set(true);
            sink.success(this::release);
            if (cancelled.get()) {
                release();
            }
            return true;
        }

        void cancel() {
            cancelled.set(true);
            waiting.remove(this);
            if (granted.get()) {
                release();
            }
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                free.incrementAndGet();
                drain();
            }
        }
    }
}
