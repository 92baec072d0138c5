package dev.loki.deploy.run;

import org.springframework.stereotype.Component;

import dev.loki.events.DeploymentBatchFinished;
import dev.loki.events.DeploymentFinished;
import dev.loki.events.DeploymentGateFailed;
import dev.loki.events.DeploymentHostFailed;
import dev.loki.events.DeploymentPaused;
import dev.loki.events.DeploymentRequested;
import dev.loki.events.DeploymentResumed;
import dev.loki.events.DeploymentStarted;
import dev.loki.events.Events;
import dev.loki.events.LokiEvent;
import dev.loki.events.Streams;
import dev.loki.support.EventPublisher;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Mono;

/**
 * deploy-service's events, published after the change they report is stored: appended to the stream
 * {@value Streams#DEPLOY_DEPLOYMENTS} (for consumers that must not miss one, with a consumer group) and
 * on Redis pub/sub. Publishing never fails the change: one that Redis misses is still in the deployment's
 * own history ({@code GET …/events}), which a consumer re-reads.
 */
@Component
class DeploymentEvents {

    private static final String SOURCE = "deploy-service";

    private final Publisher events;

    DeploymentEvents(EventPublisher publisher, LokiProperties loki) {
        String stream = loki.redis().keyPrefix() + Streams.DEPLOY_DEPLOYMENTS;
        this.events = event -> publisher.appendWakeUp(stream, event);
    }

    /** Where every event goes: the stream, then its channel. */
    private interface Publisher {
        Mono<Void> publish(LokiEvent event);
    }

    Mono<Void> requested(DeploymentRepository.Row d, long id, int hosts) {
        return events.publish(new DeploymentRequested(Events.newId(), Events.now(), SOURCE, d.nodePath(), id, d.templateId(), d.revision(),
                d.version(), d.requestedBy(), hosts, d.batchCount(), Status.AWAITING_APPROVAL.equals(d.status()), d.rollbackOf()));
    }

    Mono<Void> started(DeploymentRepository.Row d, String by) {
        return events.publish(new DeploymentStarted(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(), d.version(), by));
    }

    Mono<Void> paused(DeploymentRepository.Row d, String reason) {
        return events.publish(new DeploymentPaused(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(), reason));
    }

    Mono<Void> resumed(DeploymentRepository.Row d, String by, String note) {
        return events.publish(new DeploymentResumed(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(), by, note));
    }

    Mono<Void> gateFailed(DeploymentRepository.Row d, DeploymentRepository.Bake bake, String outcome, Double availability, double min, String reason) {
        return events.publish(new DeploymentGateFailed(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(), bake.batch(),
                outcome, availability, min, bake.from(), bake.until(), reason));
    }

    Mono<Void> batchFinished(DeploymentRepository.Row d, int batch, int succeeded, int failed) {
        return events.publish(new DeploymentBatchFinished(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(),
                batch, succeeded, failed));
    }

    Mono<Void> hostFailed(DeploymentRepository.Row d, String hostname, String step, Integer exitCode, String reason) {
        return events.publish(new DeploymentHostFailed(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(),
                hostname, step, exitCode, reason));
    }

    Mono<Void> finished(DeploymentRepository.Row d, String outcome, String reason, int failedHosts) {
        return events.publish(new DeploymentFinished(Events.newId(), Events.now(), SOURCE, d.nodePath(), d.id(), d.templateId(), d.version(),
                outcome, reason, failedHosts));
    }
}
