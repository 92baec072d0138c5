package dev.loki.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a loopback port of its own in front of a shared server (MariaDB, ZooKeeper,
 * OpenTSDB), for fault tests that must not stop what other tests use: {@link #down()} closes the port
 * and every open connection (the store is gone), {@link #hang()} keeps every connection open but lets
 * nothing through in either direction (the store hangs, or the network drops packets), {@link #up()}
 * listens again on the same port and forwards again.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean hung;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = dev.loki.devstack.Ports.freePort();
        up();
    }

    public int port() {
        return port;
    }

    /** Listens again on the same port and forwards again (a no-op while up). */
    public synchronized void up() {
        hung = false;
        if (listener != null) {
            return;
        }
        ServerSocket socket = bind();
        listener = socket;
        Thread.ofVirtual().name("tcp-proxy-" + port).start(() -> accept(socket));
    }

    /** Binds the port again; the kernel may refuse for a moment while the connections just closed wind down. */
    private ServerSocket bind() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                try {
                    socket.bind(new InetSocketAddress("127.0.0.1", port), 128);
                    return socket;
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            } catch (java.net.BindException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException(e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** From now on, what either side sends is swallowed: connections stay open, and nothing arrives. */
    public void hang() {
        hung = true;
    }

    /** Closes the port and every connection through it: new connections are refused until {@link #up()}. */
    public synchronized void down() {
        ServerSocket socket = listener;
        listener = null;
        closeQuietly(socket);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                if (!track(socket, client)) {
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                if (!track(socket, upstream)) {
                    closeQuietly(client);
                    continue;
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                // closed by down(), or the target refused: the client sees its connection end
            }
        }
    }

    /**
     * Counts a new connection as open unless {@link #down()} closed this listener meanwhile (then the
     * connection is closed at once): a connection accepted just before {@code down()} must not survive it.
     */
    private synchronized boolean track(ServerSocket from, Socket connection) {
        if (listener != from) {
            closeQuietly(connection);
            return false;
        }
        open.add(connection);
        return true;
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (!hung) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        down();
    }
}
