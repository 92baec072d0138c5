package dev.loki.deploy.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.loki.deploy.system.DeployProperties;
import reactor.core.publisher.Mono;

/**
 * The hosts, over SSH: one Apache MINA SSHD client for the whole service, key authentication with the
 * configured key, host keys checked against the known-hosts file, and at most {@code concurrency}
 * sessions open at once (further hosts wait their turn without holding a thread).
 */
@Component
public class SshHosts implements DisposableBean {

    private final DeployProperties.Ssh settings;
    private final SshClient client;
    private final Permits permits;

    @Autowired
    public SshHosts(DeployProperties properties) {
        this(properties.ssh());
    }

    public SshHosts(DeployProperties.Ssh settings) {
        this.settings = settings;
        this.permits = new Permits(settings.concurrency());
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new HostKeyCheck(settings.knownHosts()));
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        // the login fails rather than asks: no password or keyboard-interactive prompts
        client.setUserAuthFactoriesNames("publickey");
        client.start();
    }

    /**
     * A session on {@code address}, authenticated, once a permit is free; closing it frees the permit.
     * Fails with a {@link HostFailure} naming why: unreachable, refused host key, refused login, timeout.
     */
    public Mono<HostSession> open(String address) {
        return permits.acquire().flatMap(release -> connect(address)
                .map(session -> new HostSession(address, session, release))
                .doOnError(e -> release.run())
                .doOnCancel(release));
    }

    int freePermits() {
        return permits.available();
    }

    private Mono<ClientSession> connect(String address) {
        Duration timeout = settings.connectTimeout();
        return Mono.<ClientSession>create(sink -> {
            KeyPair key = key();
            ConnectFuture connecting;
            try {
                connecting = client.connect(settings.user(), address, settings.port());
            } catch (IOException e) {
                sink.error(new HostFailure("could not connect to " + address + ": " + e.getMessage()));
                return;
            }
            // one cancel hook (a sink keeps only the first): stop connecting, or end the session once there is one
            AtomicReference<ClientSession> opened = new AtomicReference<>();
            sink.onCancel(() -> {
                connecting.cancel();
                ClientSession session = opened.get();
                if (session != null) {
                    session.close(true);
                }
            });
            connecting.addListener(connected -> {
                if (!connected.isConnected()) {
                    sink.error(new HostFailure("could not connect to " + address + ":" + settings.port() + ": " + reason(connected.getException())));
                    return;
                }
                ClientSession session = connected.getSession();
                opened.set(session);
                session.addPublicKeyIdentity(key);
                try {
                    session.auth().addListener(auth -> {
                        if (auth.isSuccess()) {
                            sink.success(session);
                        } else {
                            String refused = session.getAttribute(HostKeyCheck.REFUSED);
                            session.close(true);
                            sink.error(new HostFailure(refused != null ? refused
                                    : "the login as " + settings.user() + " was refused: " + reason(auth.getException())));
                        }
                    });
                } catch (IOException e) {
                    session.close(true);
                    sink.error(new HostFailure("the login failed: " + e.getMessage()));
                }
            });
        }).timeout(timeout, Mono.error(() -> new HostFailure("no SSH session with " + address + " within " + timeout.toSeconds() + " s")));
    }

    private KeyPair key() {
        if (!Files.isReadable(settings.keyFile())) {
            throw new HostFailure("no readable deploy key at " + settings.keyFile());
        }
        try {
            Iterator<KeyPair> keys = new FileKeyPairProvider(settings.keyFile()).loadKeys(null).iterator();
            if (!keys.hasNext()) {
                throw new HostFailure("the deploy key file " + settings.keyFile() + " holds no key");
            }
            return keys.next();
        } catch (HostFailure e) {
            throw e;
        } catch (RuntimeException e) {
            // the message of a key parser may quote the file: name the file only
            throw new HostFailure("the deploy key " + settings.keyFile() + " could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String reason(Throwable e) {
        if (e == null) {
            return "no reason given";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    @Override
    public void destroy() throws IOException {
        client.stop();
        client.close();
    }
}
