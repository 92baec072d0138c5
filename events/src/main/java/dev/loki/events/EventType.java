package dev.loki.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of event types: wire name, owning service and record class.
 *
 * <p>The Redis channel of a type is {@code loki.<service>.<wire name>}; {@link #ALL_PATTERN}
 * subscribes to every one of them.
 */
public enum EventType {
    USER_CREATED("auth", "user-created", UserCreated.class),
    USER_UPDATED("auth", "user-updated", UserUpdated.class),
    USER_DELETED("auth", "user-deleted", UserDeleted.class),
    API_TOKEN_CREATED("auth", "api-token-created", ApiTokenCreated.class),
    API_TOKEN_REVOKED("auth", "api-token-revoked", ApiTokenRevoked.class),
    GRANT_CREATED("auth", "grant-created", GrantCreated.class),
    GRANT_REVOKED("auth", "grant-revoked", GrantRevoked.class),
    PETITION_FILED("auth", "petition-filed", PetitionFiled.class),
    PETITION_DECIDED("auth", "petition-decided", PetitionDecided.class),
    SERVER_CREATED("asset", "server-created", ServerCreated.class),
    SERVER_UPDATED("asset", "server-updated", ServerUpdated.class),
    SERVER_STATUS_CHANGED("asset", "server-status-changed", ServerStatusChanged.class),
    SERVER_DELETED("asset", "server-deleted", ServerDeleted.class),
    NODE_CREATED("ptree", "node-created", NodeCreated.class),
    NODE_RENAMED("ptree", "node-renamed", NodeRenamed.class),
    NODE_MOVED("ptree", "node-moved", NodeMoved.class),
    NODE_DELETED("ptree", "node-deleted", NodeDeleted.class),
    SERVER_BOUND("ptree", "server-bound", ServerBound.class),
    SERVER_UNBOUND("ptree", "server-unbound", ServerUnbound.class),
    URL_BOUND("ptree", "url-bound", UrlBound.class),
    URL_UNBOUND("ptree", "url-unbound", UrlUnbound.class),
    CHANGE_PROPOSED("ptree", "change-proposed", ChangeProposed.class),
    CHANGE_DECIDED("ptree", "change-decided", ChangeDecided.class),
    ALERT_FIRED("monitor", "alert-fired", AlertFired.class),
    ALERT_RESOLVED("monitor", "alert-resolved", AlertResolved.class),
    DEPLOYMENT_REQUESTED("deploy", "deployment-requested", DeploymentRequested.class),
    DEPLOYMENT_STARTED("deploy", "deployment-started", DeploymentStarted.class),
    DEPLOYMENT_PAUSED("deploy", "deployment-paused", DeploymentPaused.class),
    DEPLOYMENT_RESUMED("deploy", "deployment-resumed", DeploymentResumed.class),
    DEPLOYMENT_BATCH_FINISHED("deploy", "deployment-batch-finished", DeploymentBatchFinished.class),
    DEPLOYMENT_HOST_FAILED("deploy", "deployment-host-failed", DeploymentHostFailed.class),
    DEPLOYMENT_GATE_FAILED("deploy", "deployment-gate-failed", DeploymentGateFailed.class),
    DEPLOYMENT_FINISHED("deploy", "deployment-finished", DeploymentFinished.class),
    ALARM_RAISED("alarm", "alarm-raised", AlarmRaised.class),
    ALARM_ACKNOWLEDGED("alarm", "alarm-acknowledged", AlarmAcknowledged.class),
    ALARM_RESOLVED("alarm", "alarm-resolved", AlarmResolved.class);

    /** A Redis pattern matching the channel of every Loki event. */
    public static final String ALL_PATTERN = "loki.*";

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::recordClass, Function.identity()));

    private final String service;
    private final String wireName;
    private final Class<? extends LokiEvent> recordClass;

    EventType(String service, String wireName, Class<? extends LokiEvent> recordClass) {
        this.service = service;
        this.wireName = wireName;
        this.recordClass = recordClass;
    }

    public String service() {
        return service;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends LokiEvent> recordClass() {
        return recordClass;
    }

    public String channel() {
        return "loki." + service + "." + wireName;
    }

    public static Optional<EventType> byWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    static EventType of(Class<?> recordClass) {
        EventType type = BY_CLASS.get(recordClass);
        if (type == null) {
            throw new IllegalStateException("no EventType registered for " + recordClass.getName());
        }
        return type;
    }
}
