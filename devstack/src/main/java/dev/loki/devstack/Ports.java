package dev.loki.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Small facts about TCP ports on this machine. */
public final class Ports {

    private static final Random RANDOM = new SecureRandom();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** Whether something accepts connections on host:port (within 300 ms). */
    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port that was free a moment ago, for servers the tests start. It lies below the kernel's
     * ephemeral range, so the outgoing connections every service opens while it boots cannot take it
     * before the server binds it (a port the kernel hands out for {@code bind(0)} can be), and it is
     * never handed out twice by one JVM.
     */
    public static int freePort() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 10_000 + RANDOM.nextInt(Math.max(1, below - 10_000));
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free TCP port below " + below);
    }

    /** The first port of {@code /proc/sys/net/ipv4/ip_local_port_range} (Linux), else the IANA range's 49152. */
    private static int ephemeralRangeStart() {
        try {
            // read as a stream: /proc reports a size that Files.readString trusts, and it then returns a fragment ("3")
            String range;
            try (java.io.BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                range = String.valueOf(reader.readLine()).trim();
            }
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > 11_000 ? start : 49_152;
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
