package dev.loki.auth.grant;

import java.util.Arrays;
import java.util.Optional;

/** The privileges a grant can carry (API.md). */
public enum Privilege {
    NODE_MANAGE("node.manage"),
    SERVER_MANAGE("server.manage"),
    DEPLOY_TEMPLATE("deploy.template"),
    DEPLOY_RUN("deploy.run"),
    MONITOR_MANAGE("monitor.manage"),
    ALARM_MANAGE("alarm.manage"),
    ASSET_MANAGE("asset.manage"),
    GRANT_MANAGE("grant.manage");

    public static final String REGEX = "^(node|server|asset|grant|monitor|alarm)\\.manage$|^deploy\\.(template|run)$";
    public static final String MESSAGE = "one of node.manage, server.manage, deploy.template, deploy.run, monitor.manage, alarm.manage, asset.manage, grant.manage";

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
}
