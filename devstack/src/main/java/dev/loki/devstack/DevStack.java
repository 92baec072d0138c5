package dev.loki.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import dev.loki.events.LokiService;

/**
 * {@code ./loki up | up -d | down | status}: the whole platform on one machine.
 *
 * <p>{@code up} runs in the foreground as a supervisor: it reuses MariaDB and Redis when they already
 * listen on their ports and otherwise starts embedded real ones, runs ZooKeeper in-process, starts
 * every service whose jar exists, waits until all are ready and prints how to log in. Stopping it
 * (Ctrl-C, SIGTERM, {@code ./loki down}) stops exactly what it started. Its state file
 * {@code .loki/run/state.properties} lets {@code status}, {@code wait} and {@code down} find it.
 */
public final class DevStack {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackConfig config;
    private final Path stateFile;

    /** Set when the supervisor is asked to stop: nothing is restarted any more. */
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();

    private DevStack(StackConfig config) {
        this.config = config;
        this.stateFile = config.run().resolve("state.properties");
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty("loki.repo", ".")).toAbsolutePath().normalize();
        String command = args.length == 0 ? "status" : args[0];
        try {
            DevStack stack = new DevStack(StackConfig.fromEnvironment(repo));
            int code = switch (command) {
                case "up" -> stack.up();
                case "wait" -> stack.waitUntilHealthy(args.length > 1 ? args[1] : null);
                case "status" -> stack.status();
                case "down" -> stack.down();
                default -> throw new StackException("unknown command '" + command + "' (up, up -d, down, status)");
            };
            System.exit(code);
        } catch (StackException e) {
            System.err.println("loki: " + e.getMessage());
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------- up

    private int up() {
        Properties previous = readState();
        if (alive(previous.getProperty("devstack.pid"))) {
            System.out.println("Loki is already running (pid " + previous.getProperty("devstack.pid") + ").");
            if (!"healthy".equals(previous.getProperty("status"))) {
                System.out.println("waiting for it to restart what is down ...");
                waitUntilHealthy(previous.getProperty("devstack.pid"));
            }
            return status();
        }
        // a supervisor killed with -9 leaves its services running on their ports: stop them, then start afresh
        if (stopLeftovers(previous) > 0) {
            System.out.println("stopped what a previous supervisor (no longer running) had left behind");
        }
        List<StackConfig.ServiceSpec> services = config.services().stream()
                .filter(s -> ServiceProcess.jarOf(config.repo(), s.name()).isPresent()).toList();
        if (services.isEmpty()) {
            throw new StackException("no service jar under */target: build first (./loki builds on its own)");
        }
        for (StackConfig.ServiceSpec service : services) {
            checkFree(service.port(), service.name(), service.service().environmentKey() + "_PORT");
        }
        checkFree(config.zkPort(), "ZooKeeper", "LOKI_ZK_PORT");
        if (config.fleetHosts() > 0) {
            checkFree(config.fleetPort(), "the simulated fleet", "LOKI_FLEET_PORT");
        }

        Properties state = new Properties();
        state.setProperty("devstack.pid", Long.toString(ProcessHandle.current().pid()));
        state.setProperty("status", "starting");
        state.setProperty("startedAt", Instant.now().toString());
        writeState(state);

        List<AutoCloseable> infra = Collections.synchronizedList(new ArrayList<>());
        List<ServiceProcess> running = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            shutdown(running, infra, state);
            stopped.countDown();
        }, "loki-shutdown"));

        try {
            startInfrastructure(state, infra);
            Map<String, String> env = serviceEnvironment();
            for (StackConfig.ServiceSpec service : services) {
                Path jar = ServiceProcess.jarOf(config.repo(), service.name()).orElseThrow();
                ServiceProcess process = ServiceProcess.start(service, jar, env, config.logs());
                running.add(process);
                state.setProperty("service." + service.name() + ".pid", Long.toString(process.pid()));
                state.setProperty("service." + service.name() + ".port", Integer.toString(service.port()));
                System.out.println("started " + service.name() + " (pid " + process.pid() + ", log " + process.log() + ")");
            }
            writeState(state);
            startOpenTsdb(state, infra); // while the services boot
            awaitReady(running);
        } catch (StackException | IOException | UncheckedIOException | IllegalStateException e) {
            state.setProperty("status", "failed");
            state.setProperty("error", String.valueOf(e.getMessage()));
            writeState(state);
            System.err.println("loki: " + e.getMessage());
            System.exit(1);
        }

        state.setProperty("status", "healthy");
        writeState(state);
        if (config.demo() && services.stream().anyMatch(s -> s.name().equals(LokiService.MONITOR.module()))) {
            Thread demo = new Thread(new DemoData(config.gateway().port(), config.adminPassword(), config.home(), config.fleetHosts()), "loki-demo-data");
            demo.setDaemon(true);
            demo.start();
            System.out.println("writing demo data (a tree under /demo, servers demo-*, living charts); LOKI_DEMO=false turns it off");
        }
        printWelcome();
        supervise(running, state, stopped);
        return 0;
    }

    /**
     * Until the supervisor is stopped: a service that exited (killed, crashed, out of memory) is started
     * again after {@link RestartBackoff#delay}; meanwhile the state says {@code degraded}, so
     * {@code status} and {@code up -d} see it.
     */
    private void supervise(List<ServiceProcess> running, Properties state, CountDownLatch stopped) {
        Map<String, Integer> exitsInARow = new HashMap<>();
        Map<String, Instant> restartAt = new HashMap<>();
        Map<String, Instant> startedAt = new HashMap<>();
        Map<String, String> env = serviceEnvironment();
        try {
            while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                boolean allUp = true;
                for (int i = 0; i < running.size() && !stopping.get(); i++) {
                    ServiceProcess process = running.get(i);
                    String name = process.spec().name();
                    if (process.alive()) {
                        if (startedAt.containsKey(name) && startedAt.get(name).plus(RestartBackoff.STABLE).isBefore(Instant.now())) {
                            exitsInARow.remove(name);
                            startedAt.remove(name);
                        }
                        continue;
                    }
                    allUp = false;
                    if (!restartAt.containsKey(name)) {
                        int exits = exitsInARow.merge(name, 1, Integer::sum);
                        Duration wait = RestartBackoff.delay(exits);
                        restartAt.put(name, Instant.now().plus(wait));
                        System.out.println(name + " exited (code " + process.exitCode() + "); restarting in " + wait.toSeconds() + " s");
                    } else if (Instant.now().isAfter(restartAt.get(name))) {
                        restartAt.remove(name);
                        Path jar = ServiceProcess.jarOf(config.repo(), name).orElse(null);
                        if (jar == null) {
                            continue;
                        }
                        try {
                            ServiceProcess again = ServiceProcess.start(process.spec(), jar, env, config.logs());
                            running.set(i, again);
                            startedAt.put(name, Instant.now());
                            state.setProperty("service." + name + ".pid", Long.toString(again.pid()));
                            System.out.println("restarted " + name + " (pid " + again.pid() + ")");
                        } catch (IOException e) {
                            System.err.println("loki: restarting " + name + ": " + e.getMessage());
                        }
                    }
                }
                String wanted = allUp && running.stream().allMatch(p -> ServiceProcess.healthy(p.spec().port())) ? "healthy" : "degraded";
                if (!stopping.get() && !wanted.equals(state.getProperty("status"))) {
                    state.setProperty("status", wanted);
                    writeState(state);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startInfrastructure(Properties state, List<AutoCloseable> infra) {
        if (Ports.isListening(config.mysqlHost(), config.mysqlPort())) {
            state.setProperty("mariadb", "reused " + config.mysqlHost() + ":" + config.mysqlPort());
        } else {
            System.out.println("no MariaDB on " + config.mysqlHost() + ":" + config.mysqlPort() + ": starting an embedded one");
            infra.add(EmbeddedMariaDb.start(config.mysqlPort(), config.home().resolve("mariadb")));
            state.setProperty("mariadb", "embedded 127.0.0.1:" + config.mysqlPort());
        }
        if (Ports.isListening(config.redisHost(), config.redisPort())) {
            state.setProperty("redis", "reused " + config.redisHost() + ":" + config.redisPort());
        } else {
            System.out.println("no Redis on " + config.redisHost() + ":" + config.redisPort() + ": starting an embedded one");
            infra.add(EmbeddedRedis.start(config.redisPort(), config.home().resolve("redis")));
            state.setProperty("redis", "embedded 127.0.0.1:" + config.redisPort());
        }
        infra.add(EmbeddedZooKeeper.start(config.zkPort(), config.home().resolve("zookeeper")));
        state.setProperty("zookeeper", "embedded 127.0.0.1:" + config.zkPort());
        if (config.fleetHosts() > 0) {
            // deploy-service logs in with this key; the fleet lets in only it, and its host key is on the known-hosts list
            java.security.KeyPair key = Fleet.clientKey(config.ssh().resolve("deploy"));
            Fleet fleet = Fleet.start(config.fleet(), config.fleetHosts(), config.fleetPort(), List.of(key.getPublic()));
            fleet.writeKnownHosts(config.ssh().resolve("known_hosts"));
            infra.add(fleet);
            state.setProperty("fleet", config.fleetHosts() + " simulated hosts " + Fleet.address(0) + "… port " + config.fleetPort()
                    + ", sandboxes in " + config.fleet());
        }
        // Embedded servers run as child processes: remember them so `down` can stop them even if
        // this supervisor was killed with -9.
        List<String> children = ProcessHandle.current().children().map(p -> Long.toString(p.pid())).toList();
        state.setProperty("infra.pids", String.join(",", children));
        writeState(state);
    }

    /** OpenTSDB: the one given by LOKI_OPENTSDB_URL, one already on its port, or a local one (HBase + TSD). */
    private void startOpenTsdb(Properties state, List<AutoCloseable> infra) {
        if (config.opentsdbUrl() != null) {
            state.setProperty("opentsdb", "given " + config.opentsdbUrl());
        } else if (Ports.isListening("127.0.0.1", config.opentsdbPort())) {
            state.setProperty("opentsdb", "reused 127.0.0.1:" + config.opentsdbPort());
        } else {
            System.out.println("starting a local OpenTSDB (HBase + TSD) on port " + config.opentsdbPort() + " ...");
            infra.add(EmbeddedOpenTsdb.start(config.repo(), config.opentsdbPort(), config.home().resolve("opentsdb")));
            state.setProperty("opentsdb", "embedded 127.0.0.1:" + config.opentsdbPort());
        }
        List<String> children = ProcessHandle.current().children().map(p -> Long.toString(p.pid())).toList();
        state.setProperty("infra.pids", String.join(",", children));
        writeState(state);
    }

    private Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOKI_MYSQL_HOST", config.mysqlHost());
        env.put("LOKI_MYSQL_PORT", Integer.toString(config.mysqlPort()));
        env.put("LOKI_REDIS_HOST", config.redisHost());
        env.put("LOKI_REDIS_PORT", Integer.toString(config.redisPort()));
        env.put("LOKI_ZK_CONNECT", "127.0.0.1:" + config.zkPort());
        env.put("LOKI_OPENTSDB_URL", config.opentsdbUrl() != null ? config.opentsdbUrl() : "http://127.0.0.1:" + config.opentsdbPort());
        env.put("LOKI_ADMIN_PASSWORD", config.adminPassword());
        env.put("LOKI_AUTH_KEY_DIR", config.home().resolve("keys").toString());
        env.put("LOKI_INTERNAL_TOKEN", internalToken());
        for (StackConfig.ServiceSpec service : config.services()) {
            env.put(service.service().environmentKey() + "_URI", "http://127.0.0.1:" + service.port());
        }
        env.put("LOKI_DEPLOY_SSH_KEY", config.ssh().resolve("deploy").toString());
        env.put("LOKI_DEPLOY_KNOWN_HOSTS", config.ssh().resolve("known_hosts").toString());
        env.put("LOKI_DEPLOY_SSH_PORT", Integer.toString(config.fleetPort()));
        env.put("LOKI_JWKS_URI", "http://127.0.0.1:" + config.portOf(LokiService.AUTH.module()) + "/api/auth/jwks");
        return env;
    }

    /**
     * The secret the services present to each other's {@code /internal} endpoints: made once per data
     * directory (readable by its owner only) and kept, so restarted services still agree.
     */
    private String internalToken() {
        Path file = config.home().resolve("internal-token");
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new java.security.SecureRandom().nextBytes(random);
                Files.createDirectories(file.getParent());
                Path written = Files.createTempFile(file.getParent(), "internal-token", ".tmp");
                try {
                    Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the data directory's own permissions apply
                }
                Files.writeString(written, java.util.HexFormat.of().formatHex(random));
                Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new StackException("cannot keep the internal token in " + file + ": " + e.getMessage());
        }
    }

    private void awaitReady(List<ServiceProcess> running) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        List<ServiceProcess> waiting = new ArrayList<>(running);
        while (!waiting.isEmpty()) {
            for (ServiceProcess process : List.copyOf(waiting)) {
                if (!process.alive()) {
                    throw new StackException(process.spec().name() + " exited during start-up; last lines of "
                            + process.log() + ":\n" + tail(process.log(), 25));
                }
                if (ServiceProcess.healthy(process.spec().port())) {
                    System.out.println(process.spec().name() + " is ready on port " + process.spec().port());
                    waiting.remove(process);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException("not ready after " + READY_TIMEOUT.toSeconds() + " s: "
                        + waiting.stream().map(p -> p.spec().name() + " (" + p.log() + ")").toList());
            }
            sleep(Duration.ofMillis(300));
        }
    }

    private void shutdown(List<ServiceProcess> running, List<AutoCloseable> infra, Properties state) {
        List<ServiceProcess> services = new ArrayList<>(running);
        Collections.reverse(services);
        services.parallelStream().forEach(p -> p.stop(Duration.ofSeconds(20)));
        List<AutoCloseable> servers = new ArrayList<>(infra);
        Collections.reverse(servers);
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("loki: stopping " + server.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        state.setProperty("status", "stopped");
        writeState(state);
    }

    private void printWelcome() {
        String url = "http://localhost:" + config.gateway().port();
        boolean devPassword = StackConfig.DEV_ADMIN_PASSWORD.equals(config.adminPassword());
        System.out.println();
        System.out.println("Loki is up: " + url);
        System.out.println("  log in as admin / " + (devPassword ? config.adminPassword() + "  (dev default; set LOKI_ADMIN_PASSWORD to change)" : "<LOKI_ADMIN_PASSWORD>"));
        System.out.println("  API docs:   " + url + "/api-docs");
        System.out.println("  try:        curl -s -X POST " + url + "/api/auth/login -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"...\"}'");
        System.out.println("  stop with:  ./loki down   (data stays in " + config.home() + ")");
        System.out.flush();
    }

    // ---------------------------------------------------------------- wait / status / down

    /** For {@code up -d}: waits until the supervisor with this pid reports healthy, or dies. */
    private int waitUntilHealthy(String pid) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT.plusSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Properties state = readState();
            boolean ours = pid == null || pid.equals(state.getProperty("devstack.pid"));
            String status = state.getProperty("status", "");
            if (ours && status.equals("healthy")) {
                printWelcome();
                return 0;
            }
            if ((ours && status.equals("failed")) || (pid != null && !alive(pid))) {
                System.err.println("loki: start-up failed" + (ours ? ": " + state.getProperty("error", "") : "")
                        + "\n--- last lines of " + config.logs().resolve("devstack.log") + " ---\n"
                        + tail(config.logs().resolve("devstack.log"), 30));
                return 1;
            }
            sleep(Duration.ofMillis(300));
        }
        System.err.println("loki: not healthy in time; see " + config.logs());
        return 1;
    }

    private int status() {
        Properties state = readState();
        boolean running = alive(state.getProperty("devstack.pid"));
        System.out.printf("%-16s %-8s %s%n", "COMPONENT", "STATE", "WHERE");
        System.out.printf("%-16s %-8s %s%n", "supervisor", running ? state.getProperty("status", "?") : "stopped",
                running ? "pid " + state.getProperty("devstack.pid") : "-");
        infraLine("mariadb", config.mysqlHost(), config.mysqlPort(), state.getProperty("mariadb"));
        infraLine("redis", config.redisHost(), config.redisPort(), state.getProperty("redis"));
        infraLine("zookeeper", "127.0.0.1", config.zkPort(), state.getProperty("zookeeper"));
        infraLine("opentsdb", "127.0.0.1", config.opentsdbPort(), state.getProperty("opentsdb"));
        for (StackConfig.ServiceSpec service : config.services()) {
            boolean built = ServiceProcess.jarOf(config.repo(), service.name()).isPresent();
            if (!built) {
                continue;
            }
            String stateWord = ServiceProcess.healthy(service.port()) ? "up"
                    : Ports.isListening("127.0.0.1", service.port()) ? "starting" : "down";
            System.out.printf("%-16s %-8s http://localhost:%d%n", service.name(), stateWord, service.port());
        }
        if (!running) {
            return 3;
        }
        return "healthy".equals(state.getProperty("status")) ? 0 : 4;
    }

    private void infraLine(String name, String host, int port, String how) {
        boolean up = Ports.isListening(host, port);
        System.out.printf("%-16s %-8s %s:%d%s%n", name, up ? "up" : "down", host, port, how == null ? "" : "  (" + how.split(" ")[0] + ")");
    }

    private int down() {
        Properties state = readState();
        Optional<ProcessHandle> supervisor = handle(state.getProperty("devstack.pid"));
        if (supervisor.isPresent()) {
            System.out.println("stopping Loki (pid " + supervisor.get().pid() + ") ...");
            supervisor.get().destroy();
            supervisor.get().onExit().orTimeout(90, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            if (supervisor.get().isAlive()) {
                supervisor.get().destroyForcibly();
            }
        }
        int killed = stopLeftovers(state);
        if (supervisor.isEmpty() && killed == 0) {
            System.out.println("Loki is not running.");
        } else {
            System.out.println("Loki stopped." + (killed > 0 ? " (" + killed + " left-over processes stopped)" : ""));
        }
        state.setProperty("status", "stopped");
        writeState(state);
        return 0;
    }

    /** Whatever a supervisor could not stop (it may have been killed with -9): its children. Answers how many were stopped. */
    private int stopLeftovers(Properties state) {
        List<String> leftovers = new ArrayList<>();
        state.stringPropertyNames().stream()
                .filter(k -> k.startsWith("service.") && k.endsWith(".pid"))
                .forEach(k -> leftovers.add(state.getProperty(k)));
        leftovers.addAll(List.of(state.getProperty("infra.pids", "").split(",")));
        int killed = 0;
        for (String pid : leftovers) {
            Optional<ProcessHandle> process = handle(pid).filter(this::startedByUs);
            if (process.isPresent()) {
                process.get().destroy();
                process.get().onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                if (process.get().isAlive()) {
                    process.get().destroyForcibly();
                }
                killed++;
            }
        }
        return killed;
    }

    /** Only processes that look like what we started (a service jar of this checkout, an embedded server): never a recycled pid. */
    private boolean startedByUs(ProcessHandle process) {
        String commandLine = process.info().commandLine().orElse("");
        return commandLine.contains(config.repo().toString()) || commandLine.contains(config.home().toString())
                || commandLine.contains("redis-server") || commandLine.contains("mariadbd");
    }

    // ---------------------------------------------------------------- helpers

    private void checkFree(int port, String what, String variable) {
        if (Ports.isListening("127.0.0.1", port)) {
            throw new StackException("port " + port + " (" + what + ") is already taken by another process; "
                    + "stop it or choose another port with " + variable + "=<port>");
        }
    }

    private static boolean alive(String pid) {
        return handle(pid).isPresent();
    }

    private static Optional<ProcessHandle> handle(String pid) {
        if (pid == null || pid.isBlank()) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid.strip())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Properties readState() {
        Properties state = new Properties();
        if (Files.exists(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state;
    }

    private synchronized void writeState(Properties state) {
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling("state.properties.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                state.store(out, "written by ./loki; do not edit");
            }
            Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
