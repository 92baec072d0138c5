package dev.loki.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ports tests hand their servers lie below the kernel's ephemeral range: one inside it can be taken by an
 * outgoing connection before the server binds it — or be the local port of a client connecting to it, which then
 * talks to itself (a TCP self-connect) and waits for an answer that never comes.
 */
class PortsTests {

    @Test
    void freePortsLieBelowTheKernelsEphemeralRange() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Assumptions.assumeTrue(Files.isReadable(range), "Linux only: the ephemeral range is read from /proc");
        int start;
        try (BufferedReader reader = Files.newBufferedReader(range)) {
            start = Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        }
        for (int i = 0; i < 200; i++) {
            assertThat(Ports.freePort()).isBetween(10_000, Math.max(start, 11_000) - 1);
        }
    }
}
