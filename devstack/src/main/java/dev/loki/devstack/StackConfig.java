package dev.loki.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.loki.events.LokiService;

/**
 * Where things run under {@code ./loki}: ports from environment variables (defaults in
 * parentheses in the README), data and logs under {@code <repo>/.loki/}.
 */
record StackConfig(Path repo, Path home, String mysqlHost, int mysqlPort, String redisHost, int redisPort,
                   int zkPort, String adminPassword, List<ServiceSpec> services, String opentsdbUrl, int opentsdbPort, boolean demo,
                   int fleetHosts, int fleetPort) {

    /** A Loki service and the port it listens on here. */
    record ServiceSpec(LokiService service, int port) {

        /** Its module directory name. */
        String name() {
            return service.module();
        }
    }

    static final String DEV_ADMIN_PASSWORD = "loki-admin";

    static StackConfig fromEnvironment(Path repo) {
        Map<String, String> env = System.getenv();
        Path home = repo.resolve(env.getOrDefault("LOKI_DATA_DIR", ".loki")).toAbsolutePath().normalize();
        // the services behind the gateway first, the gateway last (it is ready when they are)
        List<ServiceSpec> services = Stream.concat(LokiService.backends().stream(), Stream.of(LokiService.GATEWAY))
                .map(s -> new ServiceSpec(s, port(env, s.environmentKey() + "_PORT", s.defaultPort())))
                .toList();
        return new StackConfig(repo, home,
                env.getOrDefault("LOKI_MYSQL_HOST", "127.0.0.1"), port(env, "LOKI_MYSQL_PORT", 3306),
                env.getOrDefault("LOKI_REDIS_HOST", "127.0.0.1"), port(env, "LOKI_REDIS_PORT", 6379),
                port(env, "LOKI_ZK_PORT", 2181),
                env.getOrDefault("LOKI_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD),
                services,
                blankToNull(env.get("LOKI_OPENTSDB_URL")), port(env, "LOKI_OPENTSDB_PORT", 4242),
                !"false".equalsIgnoreCase(env.getOrDefault("LOKI_DEMO", "true").strip()),
                count(env, "LOKI_FLEET_HOSTS", 12), port(env, "LOKI_FLEET_PORT", 2222));
    }

    /** The simulated hosts' sandboxes, SSH host key and exit markers. */
    Path fleet() {
        return home.resolve("fleet");
    }

    /** deploy-service's SSH key and the known-hosts list of the fleet. */
    Path ssh() {
        return home.resolve("ssh");
    }

    private static int count(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 0, 10_000, "a number of hosts (0 to 10000; 0: no fleet)");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    ServiceSpec gateway() {
        return services.stream().filter(s -> s.name().equals(LokiService.GATEWAY.module())).findFirst().orElseThrow();
    }

    int portOf(String service) {
        return services.stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow().port();
    }

    Path run() {
        return home.resolve("run");
    }

    Path logs() {
        return home.resolve("logs");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 1, 65_535, "a TCP port (1-65535)");
    }

    /** {@code name}'s whole number from {@code min} to {@code max}; {@code fallback} when unset; else says what it should be. */
    private static int number(Map<String, String> env, String name, int fallback, int min, int max, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new StackException(name + "=" + value + " is not " + what);
        }
    }
}
