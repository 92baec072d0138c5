package dev.loki.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loki.deploy.system.DeployProperties;
import dev.loki.devstack.Fleet;
import dev.loki.devstack.Ports;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** deploy-service's SSH client against the simulated fleet: a real MINA SSH server on loopback addresses. */
class SshHostsIntegrationTests {

    private static final Duration STEP = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static Fleet fleet;
    static SshHosts ssh;

    @BeforeAll
    static void start() {
        KeyPair key = Fleet.clientKey(dir.resolve("keys/deploy"));
        fleet = Fleet.start(dir.resolve("fleet"), 4, Ports.freePort(), List.of(key.getPublic()));
        fleet.writeKnownHosts(dir.resolve("keys/known_hosts"));
        ssh = new SshHosts(settings(dir.resolve("keys/known_hosts"), 3));
    }

    @AfterAll
    static void stop() throws Exception {
        ssh.destroy();
        fleet.close();
    }

    static DeployProperties.Ssh settings(Path knownHosts, int concurrency) {
        return new DeployProperties.Ssh("deploy", fleet.port(), dir.resolve("keys/deploy"), knownHosts, Duration.ofSeconds(10), concurrency);
    }

    @Test
    void aSessionRunsSeveralCommandsStreamingLinesAndPassingExitCodes() {
        String host = fleet.addresses().get(0);
        List<OutputLine> lines = new CopyOnWriteArrayList<>();
        try (HostSession session = ssh.open(host).block(STEP)) {
            assertThat(session.run("echo one; echo two >&2; printf 'three'", STEP, lines::add).block(STEP)).isZero();
            assertThat(session.run("echo \"$LOKI_FLEET_HOST\"; exit 3", STEP, lines::add).block(STEP)).isEqualTo(3);
        }
        // each stream in order (the two pipes are read apart, so their interleaving is not fixed)
        assertThat(lines.stream().filter(l -> !l.error()).map(OutputLine::text)).containsExactly("one", "three", host);
        assertThat(lines.stream().filter(OutputLine::error).map(OutputLine::text)).containsExactly("two");
        assertThat(ssh.freePermits()).isEqualTo(3);
    }

    @Test
    void parametersReachTheHostVerbatimAndAFinishedStepDoesNotRunTwice() throws Exception {
        String host = fleet.addresses().get(1);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("tricky", "a'b \"c\" $(touch pwned) `touch pwned2` ; rm -rf x\nsecond line \\ end");
        parameters.put("version", "1.2.3");
        StepScript step = new StepScript("d7", "step-1.attempt-1", null, parameters,
                "printf %s \"$LOKI_PARAM_tricky\" > received; echo run >> runs; echo \"v$LOKI_PARAM_version\"; exit 4", 30);
        List<String> output = new CopyOnWriteArrayList<>();
        try (HostSession session = ssh.open(host).block(STEP)) {
            assertThat(session.run(step.text(), STEP, line -> output.add(line.text())).block(STEP)).isEqualTo(4);
            assertThat(session.run(step.text(), STEP, line -> output.add(line.text())).block(STEP)).as("the recorded code").isEqualTo(4);
        }
        Path sandbox = fleet.sandbox(host);
        assertThat(Files.readString(sandbox.resolve("received"))).isEqualTo(parameters.get("tricky"));
        assertThat(sandbox.resolve("pwned")).doesNotExist();
        assertThat(sandbox.resolve("pwned2")).doesNotExist();
        assertThat(Files.readString(sandbox.resolve("runs"))).as("ran once").isEqualTo("run\n");
        assertThat(output).containsExactly("v1.2.3", "loki: this step already ran (exit 4)");

        // another attempt of the same step (a retry) is a new marker: it runs
        try (HostSession session = ssh.open(host).block(STEP)) {
            StepScript retry = new StepScript("d7", "step-1.attempt-2", null, parameters, "echo run >> runs", 30);
            assertThat(session.run(retry.text(), STEP, line -> { }).block(STEP)).isZero();
        }
        assertThat(Files.readString(sandbox.resolve("runs"))).isEqualTo("run\nrun\n");
    }

    @Test
    void aSecondRunOfAStepStillRunningWaitsForItAndDoesNotRunItAgain() throws Exception {
        String host = fleet.addresses().get(3);
        Path sandbox = fleet.sandbox(host);
        StepScript step = new StepScript("d9", "step-1.attempt-1", null, Map.of(),
                "echo started > lock.started; while [ ! -f lock.go ]; do sleep 0.05; done; echo run >> lock.runs; exit 5", 30);
        try (HostSession first = ssh.open(host).block(STEP); HostSession second = ssh.open(host).block(STEP)) {
            var firstExit = first.run(step.text(), STEP, line -> { }).toFuture();
            await().atMost(STEP).until(() -> Files.exists(sandbox.resolve("lock.started")));
            var secondExit = second.run(step.text(), STEP, line -> { }).toFuture();
            Files.writeString(sandbox.resolve("lock.go"), "");
            assertThat(firstExit.get()).isEqualTo(5);
            assertThat(secondExit.get()).as("the first run's code").isEqualTo(5);
        }
        assertThat(Files.readString(sandbox.resolve("lock.runs"))).isEqualTo("run\n");
    }

    @Test
    void aStepPastItsTimeoutIsStoppedOnTheHostEvenWithoutTheController() throws Exception {
        String host = fleet.addresses().get(2);
        Path sandbox = fleet.sandbox(host);
        try (HostSession session = ssh.open(host).block(STEP)) {
            StepScript slow = new StepScript("d8", "step-1.attempt-1", null, Map.of(), "echo $$ > pid; sleep 60; echo late > late", 2);
            assertThat(session.run(slow.text(), STEP, line -> { }).block(STEP)).isEqualTo(StepScript.TIMED_OUT);
            long pid = Long.parseLong(Files.readString(sandbox.resolve("pid")).trim());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));

            // the controller's own deadline: it gives up on a command that outlives it and keeps the session usable
            assertThatThrownBy(() -> session.run("sleep 5", Duration.ofSeconds(1), line -> { }).block(STEP))
                    .isInstanceOf(HostFailure.class).hasMessageContaining("no exit within 1 s");
            assertThat(session.run("echo still usable", STEP, line -> { }).block(STEP)).isZero();
        }
        assertThat(sandbox.resolve("late")).doesNotExist();
    }

    @Test
    void anUnknownOrChangedHostKeyFailsTheHostWithThatReason() throws Exception {
        Path onlyOthers = dir.resolve("keys/known_hosts.partial");
        Files.write(onlyOthers, fleet.knownHosts().subList(1, 4));
        Path changed = dir.resolve("keys/known_hosts.changed");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        String otherKey = PublicKeyEntry.toString(generator.generateKeyPair().getPublic());
        Files.write(changed, List.of("[" + fleet.addresses().get(0) + "]:" + fleet.port() + " " + otherKey));
        SshHosts unknown = new SshHosts(settings(onlyOthers, 2));
        SshHosts mismatch = new SshHosts(settings(changed, 2));
        try {
            assertThatThrownBy(() -> unknown.open(fleet.addresses().get(0)).block(STEP))
                    .isInstanceOf(HostFailure.class).hasMessageStartingWith("unknown host key SHA256:");
            assertThat(unknown.open(fleet.addresses().get(1)).block(STEP)).as("a listed host").isNotNull().satisfies(HostSession::close);
            assertThatThrownBy(() -> mismatch.open(fleet.addresses().get(0)).block(STEP))
                    .isInstanceOf(HostFailure.class).hasMessageStartingWith("the host key changed:");
            assertThat(unknown.freePermits()).isEqualTo(2);
        } finally {
            unknown.destroy();
            mismatch.destroy();
        }
    }

    @Test
    void aMissingKeyOrAnUnreachableHostFailsWithAReasonAndFreesItsPermit() throws Exception {
        SshHosts noKey = new SshHosts(new DeployProperties.Ssh("deploy", fleet.port(), dir.resolve("keys/absent"),
                dir.resolve("keys/known_hosts"), Duration.ofSeconds(5), 1));
        try {
            assertThatThrownBy(() -> noKey.open(fleet.addresses().get(0)).block(STEP))
                    .isInstanceOf(HostFailure.class).hasMessageContaining("no readable deploy key");
            assertThatThrownBy(() -> ssh.open("127.0.9.9").block(STEP)).isInstanceOf(HostFailure.class);
            assertThat(noKey.freePermits()).isEqualTo(1);
            assertThat(ssh.freePermits()).isEqualTo(3);
        } finally {
            noKey.destroy();
        }
    }

    @Test
    void noMoreSessionsThanTheLimitAreOpenAtOnce() {
        // four hosts, three permits: each session notes when it starts and ends on its host
        List<String> hosts = fleet.addresses();
        Flux.fromIterable(hosts)
                // as the driver does: the session is closed (its permit freed) before the host counts as done
                .flatMap(host -> Mono.usingWhen(ssh.open(host),
                        session -> session.run("date +%s%N >> window; sleep 1; date +%s%N >> window", STEP, line -> { }),
                        session -> Mono.fromRunnable(session::close)))
                .collectList().block(Duration.ofSeconds(60));
        List<long[]> windows = hosts.stream().map(host -> window(fleet.sandbox(host).resolve("window"))).toList();
        for (long[] window : windows) {
            long overlapping = windows.stream().filter(other -> other[0] < window[1] && window[0] < other[1]).count();
            assertThat(overlapping).as("sessions running at once, this one included").isLessThanOrEqualTo(3);
        }
        assertThat(ssh.freePermits()).isEqualTo(3);
    }

    private static long[] window(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return new long[] {Long.parseLong(lines.get(lines.size() - 2)), Long.parseLong(lines.getLast())};
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
