package dev.loki.ptree.change;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import dev.loki.ptree.system.PtreeProperties;
import dev.loki.support.Times;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Every {@code sweep-interval}, finishes or rolls back changes a crash left in {@code applying}/{@code reverting}. */
@Component
class ChangeSweeper implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChangeSweeper.class);

    private final ChangeService changes;
    private final PtreeProperties properties;
    private Disposable running;

    ChangeSweeper(ChangeService changes, PtreeProperties properties) {
        this.changes = changes;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        running = Flux.interval(properties.sweepInterval(), properties.sweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> changes.sweep(Times.now().minus(properties.stuckAfter()))
                        .doOnNext(n -> {
                            if (n > 0) {
                                log.info("finished or rolled back {} changes left mid-way", n);
                            }
                        })
                        .onErrorResume(e -> {
                            log.warn("sweeping stuck changes failed (tried again in {}): {}", properties.sweepInterval(), e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void destroy() {
        if (running != null) {
            running.dispose();
        }
    }
}
