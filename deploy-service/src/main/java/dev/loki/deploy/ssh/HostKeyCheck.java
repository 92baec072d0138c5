package dev.loki.deploy.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host keys checked against an OpenSSH {@code known_hosts} file (re-read when it changes): a host whose
 * key is not listed, or differs from the listed one, is refused, and the session keeps why, so the
 * host fails with that reason rather than a bare "key exchange failed".
 */
final class HostKeyCheck extends KnownHostsServerKeyVerifier {

    static final AttributeKey<String> REFUSED = new AttributeKey<>();

    HostKeyCheck(Path knownHosts) {
        super(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        session.setAttribute(REFUSED, "unknown host key " + KeyUtils.getFingerPrint(key) + ": not in " + getPath());
        return false;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
                                           PublicKey expected, PublicKey actual) {
        session.setAttribute(REFUSED, "the host key changed: " + getPath() + " lists " + KeyUtils.getFingerPrint(expected)
                + ", the host presented " + KeyUtils.getFingerPrint(actual));
        return false;
    }
}
