package dev.loki.events;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Loki's services, the one list the others read: {@code ./loki} (devstack) starts them on these ports,
 * the gateway routes {@code /api/<route>/**} to each, the tests start them by module name, and the
 * chart's tests require a values block for each that is built. Adding a service starts here (see
 * {@code docs/adding-a-service.md}).
 */
public enum LokiService {

    GATEWAY("gateway", 8080),
    AUTH("auth-service", 8081),
    ASSET("asset-service", 8082),
    PTREE("ptree-service", 8083),
    DEPLOY("deploy-service", 8084),
    MONITOR("monitor-service", 8085),
    ALARM("alarm-service", 8086);

    private final String module;
    private final int defaultPort;

    LokiService(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    /** The Maven module, {@code spring.application.name}, chart values key and Kubernetes Service name. */
    public String module() {
        return module;
    }

    /** The port it listens on under {@code ./loki} unless {@code LOKI_<KEY>_PORT} says otherwise. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The path segment of its API, {@code /api/<route>/**} ({@code auth} for auth-service). */
    public String route() {
        return module.replace("-service", "");
    }

    /** The stem of its environment variables: {@code LOKI_AUTH} for {@code LOKI_AUTH_PORT}, {@code LOKI_AUTH_URI}, … */
    public String environmentKey() {
        return "LOKI_" + route().toUpperCase(Locale.ROOT);
    }

    /** Every service behind the gateway, in start order. */
    public static List<LokiService> backends() {
        return Arrays.stream(values()).filter(s -> s != GATEWAY).toList();
    }

    public static Optional<LokiService> byModule(String module) {
        return Arrays.stream(values()).filter(s -> s.module.equals(module)).findFirst();
    }
}
