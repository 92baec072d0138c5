package dev.loki.deploy.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;

import reactor.core.publisher.Mono;

/**
 * One authenticated SSH session on one host, reused for all of the host's steps (the key exchange is
 * what costs). Closing it ends the session and frees its permit.
 */
public final class HostSession implements AutoCloseable {

    private final String address;
    private final ClientSession session;
    private final Runnable release;

    HostSession(String address, ClientSession session, Runnable release) {
        this.address = address;
        this.session = session;
        this.release = release;
    }

    public String address() {
        return address;
    }

    /**
     * Runs {@code command}, each output line handed to {@code lines} as it arrives; the exit code when it
     * ends. No exit within {@code timeout}: the channel is closed (which ends the command on the host) and
     * a {@link HostFailure} says so; likewise a lost connection or a command killed by a signal.
     */
    public Mono<Integer> run(String command, Duration timeout, Consumer<OutputLine> lines) {
        return Mono.<Integer>create(sink -> {
            ChannelExec channel;
            try {
                channel = session.createExecChannel(command);
            } catch (IOException e) {
                sink.error(new HostFailure("could not start a command on " + address + ": " + e.getMessage()));
                return;
            }
            LineOutput out = new LineOutput(text -> lines.accept(new OutputLine(false, text)));
            LineOutput err = new LineOutput(text -> lines.accept(new OutputLine(true, text)));
            channel.setOut(out);
            channel.setErr(err);
            channel.addCloseFutureListener(closed -> {
                out.close();
                err.close();
                Integer code = channel.getExitStatus();
                if (code != null) {
                    sink.success(code);
                } else if (channel.getExitSignal() != null) {
                    sink.error(new HostFailure("the command was killed by signal " + channel.getExitSignal()));
                } else {
                    sink.error(new HostFailure("the connection to " + address + " ended before the command did"));
                }
            });
            sink.onCancel(() -> channel.close(true));
            try {
                channel.open().addListener(opened -> {
                    if (!opened.isOpened()) {
                        channel.close(true);
                    }
                });
            } catch (IOException e) {
                channel.close(true);
            }
        }).timeout(timeout, Mono.error(() -> new HostFailure("no exit within " + timeout.toSeconds() + " s: the command was stopped")));
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() {
        session.close(false);
        release.run();
    }
}
