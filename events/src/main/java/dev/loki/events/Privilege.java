package dev.loki.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The privileges a grant can carry on a tree node (and everything below it). The one list every
 * service checks against; {@link #wire()} is the name on the wire and in stored rows.
 */
public enum Privilege {
    /** create, rename, move, delete nodes; bind URLs; decide tree changes */
    NODE_MANAGE("node.manage"),
    /** bind and unbind servers, traffic ratio, offline */
    SERVER_MANAGE("server.manage"),
    /** create, change, delete deployment templates */
    DEPLOY_TEMPLATE("deploy.template"),
    /** start, pause, resume, cancel, roll back deployments */
    DEPLOY_RUN("deploy.run"),
    /** alert rules; writing metrics (on /) */
    MONITOR_MANAGE("monitor.manage"),
    /** acknowledge, resolve, silence alarms; external alarms */
    ALARM_MANAGE("alarm.manage"),
    /** the server inventory (on /) */
    ASSET_MANAGE("asset.manage"),
    /** give and take the privileges one holds, decide petitions */
    GRANT_MANAGE("grant.manage");

    /** Every privilege's name (a constant, so validation annotations can use it; a test keeps it complete). */
    public static final String MESSAGE = "one of node.manage, server.manage, deploy.template, deploy.run, monitor.manage, "
            + "alarm.manage, asset.manage, grant.manage";

    private final String wire;

    Privilege(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Privilege> of(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }

    /** The privilege named {@code wire}; {@link IllegalArgumentException} with {@link #MESSAGE} otherwise. */
    public static Privilege parse(String wire) {
        return of(wire).orElseThrow(() -> new IllegalArgumentException(MESSAGE));
    }

    @Override
    public String toString() {
        return wire;
    }
}
