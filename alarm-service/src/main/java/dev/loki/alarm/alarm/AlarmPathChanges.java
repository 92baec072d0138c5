package dev.loki.alarm.alarm;

import java.net.URI;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.loki.alarm.system.AlarmProperties;
import dev.loki.events.NodePath;
import dev.loki.support.PathChangeHandler;
import reactor.core.publisher.Mono;

/**
 * Alarms are keyed by node path: they follow their node when ptree-service renames or moves it; when it is
 * deleted, the open ones below it are resolved ({@code retired}) and all stay readable under the old path.
 * Fed from ptree-service's path-change log by service-support, in order, each entry once.
 */
@Component
class AlarmPathChanges implements PathChangeHandler {

    private final AlarmService alarms;
    private final URI ptree;

    AlarmPathChanges(AlarmService alarms, AlarmProperties properties) {
        this.alarms = alarms;
        this.ptree = properties.ptreeUri();
    }

    @Override
    public URI ptreeUri() {
        return ptree;
    }

    @Override
    public Mono<Void> moved(NodePath from, NodePath to) {
        return alarms.movePaths(from.value(), to.value());
    }

    @Override
    public Mono<Void> deleted(NodePath path, Instant at) {
        return alarms.nodeDeleted(path.value(), at);
    }
}
