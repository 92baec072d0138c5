package dev.loki.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * A fleet of simulated hosts for {@code ./loki up} and the tests: one in-process SSH server (Apache
 * MINA SSHD) listening on many loopback addresses — host {@code i} is {@code 127.0.x.y}, any 127.x
 * address is this machine — on one port. It tells hosts apart by the address the client dialled;
 * each host runs its commands with {@code sh -c} in a sandbox directory of its own under the fleet's
 * root ({@code HOME} is the sandbox too). Only the given public keys may log in; the host key (ECDSA)
 * is kept in the root, so a known-hosts entry stays valid across restarts.
 */
public final class Fleet implements AutoCloseable {

    private final SshServer server;
    private final Path root;
    private final List<String> addresses;
    private final PublicKey hostKey;

    /** Every command still running on some host: a stopped fleet stops them. */
    private final java.util.Set<Process> running;

    private Fleet(SshServer server, Path root, List<String> addresses, PublicKey hostKey, java.util.Set<Process> running) {
        this.server = server;
        this.running = running;
        this.root = root;
        this.addresses = addresses;
        this.hostKey = hostKey;
    }

    /** The address of host {@code index} (0-based): 127.0.1.1, 127.0.1.2, …, 250 hosts per third octet. */
    public static String address(int index) {
        return "127.0." + (1 + index / 250) + "." + (1 + index % 250);
    }

    /** Starts {@code hosts} hosts on {@code port}, their sandboxes and host key under {@code root}. */
    public static Fleet start(Path root, int hosts, int port, Collection<PublicKey> authorized) {
        if (hosts < 1 || hosts > 10_000) {
            throw new IllegalArgumentException("a fleet has 1 to 10,000 hosts, not " + hosts);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            addresses.add(address(i));
        }
        try {
            Files.createDirectories(root);
            for (String address : addresses) {
                Files.createDirectories(root.resolve(address));
            }
            SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(root.resolve("host-key"));
            keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
            keys.setKeySize(256);
            KeyPair hostKey = keys.loadKeys(null).iterator().next();

            SshServer server = SshServer.setUpDefaultServer();
            server.setHost(String.join(",", addresses));
            server.setPort(port);
            server.setKeyPairProvider(keys);
            // bursts of connections (hundreds of hosts at once) overflow the default backlog of 50
            CoreModuleProperties.SOCKET_BACKLOG.set(server, 1024);
            CoreModuleProperties.TCP_NODELAY.set(server, true);
            List<PublicKey> allowed = List.copyOf(authorized);
            server.setPublickeyAuthenticator((user, key, session) -> allowed.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
            server.setCommandFactory((channel, command) -> new SandboxCommand(command, sandboxOf(root, channel), running));
            server.start();
            return new Fleet(server, root, List.copyOf(addresses), hostKey.getPublic(), running);
        } catch (IOException e) {
            throw new UncheckedIOException("the fleet did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public List<String> addresses() {
        return addresses;
    }

    public int port() {
        return server.getPort();
    }

    /** The key every host presents; a client's known-hosts list holds it for each address. */
    public PublicKey hostKey() {
        return hostKey;
    }

    /**
     * The fleet's lines of an OpenSSH {@code known_hosts} file: each host's address and port with the
     * host key, so a client that checks host keys (deploy-service, {@code ssh}, Ansible) trusts exactly these.
     */
    public List<String> knownHosts() {
        String key = PublicKeyEntry.toString(hostKey);
        return addresses.stream().map(address -> "[" + address + "]:" + port() + " " + key).toList();
    }

    /** Writes {@link #knownHosts()} to {@code file}. */
    public void writeKnownHosts(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, knownHosts());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The client key pair kept in {@code file} (OpenSSH format, readable by the owner only), created on
     * first use: what deploy-service logs in with and what the fleet authorizes.
     */
    public static KeyPair clientKey(Path file) {
        try {
            if (!Files.exists(file)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(256);
                KeyPair created = generator.generateKeyPair();
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path partial = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(partial)) {
                    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(created, "loki-deploy", null, out);
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            }
            return new FileKeyPairProvider(file).loadKeys(null).iterator().next();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not read or create the key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where host {@code address} runs its commands. */
    public Path sandbox(String address) {
        return root.resolve(address);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            // stopping: nothing left to do
        }
        for (Process process : running) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static Path sandboxOf(Path root, ChannelSession channel) {
        SocketAddress local = channel.getSession().getIoSession().getLocalAddress();
        String address = local instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "unknown";
        return root.resolve(address);
    }

    /**
     * One command on one host: {@code sh -c} in the host's sandbox, its output streamed back, its exit code
     * passed on. Like OpenSSH's server without a terminal, a closed channel (the client went away) does
     * not kill the command: its pipes close, so it meets a broken pipe when it next writes.
     */
    private static final class SandboxCommand implements Command {

        private final String command;
        private final Path sandbox;
        private final java.util.Set<Process> running;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private volatile Process process;

        SandboxCommand(String command, Path sandbox, java.util.Set<Process> running) {
            this.command = command;
            this.sandbox = sandbox;
            this.running = running;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) throws IOException {
            if (!Files.isDirectory(sandbox)) {
                throw new IOException("no such host");
            }
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(sandbox.toFile());
            builder.environment().put("HOME", sandbox.toString());
            builder.environment().put("LOKI_FLEET_HOST", sandbox.getFileName().toString());
            // started off the server's I/O thread: a spawn waits for the new process, and a burst of them
            // would hold up every other host's session behind it
            Thread.ofVirtual().name("fleet-command").start(() -> {
                Process started;
                try {
                    started = builder.start();
                } catch (IOException e) {
                    exit.onExit(127, "could not start sh: " + e.getMessage());
                    return;
                }
                process = started;
                running.add(started);
                started.onExit().thenRun(() -> running.remove(started));
                Thread.ofVirtual().name("fleet-stdin").start(() -> copy(in, started.getOutputStream(), true));
                Thread stdout = Thread.ofVirtual().name("fleet-stdout").start(() -> copy(started.getInputStream(), out, false));
                Thread stderr = Thread.ofVirtual().name("fleet-stderr").start(() -> copy(started.getErrorStream(), err, false));
                try {
                    int code = started.waitFor();
                    stdout.join();
                    stderr.join();
                    exit.onExit(code);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exit.onExit(130, "interrupted");
                }
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
            Process started = process;
            if (started != null) {
                closeQuietly(started.getOutputStream());
                closeQuietly(started.getInputStream());
                closeQuietly(started.getErrorStream());
            }
        }

        private static void closeQuietly(java.io.Closeable stream) {
            try {
                stream.close();
            } catch (IOException e) {
                // already closed
            }
        }

        private static void copy(InputStream from, OutputStream to, boolean closeTarget) {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the other side went away: the command's exit still ends the channel
            } finally {
                if (closeTarget) {
                    try {
                        to.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }
        }
    }
}
