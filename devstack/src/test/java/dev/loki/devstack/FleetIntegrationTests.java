package dev.loki.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated fleet, driven by a real SSH client over loopback addresses of its own. */
class FleetIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void eachHostRunsItsCommandsInItsOwnSandboxAndPassesExitCodesOn(@TempDir Path root) throws Exception {
        KeyPair user = ecKey();
        try (Fleet fleet = Fleet.start(root, 3, Ports.freePort(), List.of(user.getPublic()));
             SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(key, fleet.hostKey()));
            client.start();
            assertThat(fleet.addresses()).containsExactly("127.0.1.1", "127.0.1.2", "127.0.1.3");
            for (String address : fleet.addresses()) {
                try (ClientSession session = client.connect("deploy", address, fleet.port()).verify(WAIT).getSession()) {
                    session.addPublicKeyIdentity(user);
                    session.auth().verify(WAIT);
                    assertThat(session.executeRemoteCommand("echo ran >> steps && echo \"$LOKI_FLEET_HOST\"").trim()).isEqualTo(address);
                    assertThat(exitCode(session, "echo oops >&2; exit 3")).isEqualTo(3);
                }
                assertThat(Files.readString(fleet.sandbox(address).resolve("steps"))).isEqualTo("ran\n");
            }
        }
    }

    @Test
    void onlyAnAuthorizedKeyLogsInAndTheHostKeyOutlivesARestart(@TempDir Path root) throws Exception {
        KeyPair user = ecKey();
        KeyPair stranger = ecKey();
        int port = Ports.freePort();
        PublicKey first;
        try (Fleet fleet = Fleet.start(root, 1, port, List.of(user.getPublic()));
             SshClient client = SshClient.setUpDefaultClient()) {
            first = fleet.hostKey();
            client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(key, fleet.hostKey()));
            client.start();
            try (ClientSession session = client.connect("deploy", fleet.addresses().get(0), port).verify(WAIT).getSession()) {
                session.addPublicKeyIdentity(stranger);
                assertThatThrownBy(() -> session.auth().verify(WAIT)).isInstanceOf(SshException.class);
            }
        }
        try (Fleet again = Fleet.start(root, 1, Ports.freePort(), List.of(user.getPublic()))) {
            assertThat(KeyUtils.compareKeys(again.hostKey(), first)).as("the same host key after a restart").isTrue();
        }
    }

    private static int exitCode(ClientSession session, String command) throws Exception {
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.open().verify(WAIT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), WAIT);
            return channel.getExitStatus();
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }
}
