package dev.loki.deploy.ssh;

/** A host could not be reached or did not finish a command: the reason is what its journal and log show. */
public final class HostFailure extends RuntimeException {

    public HostFailure(String reason) {
        super(reason, null, false, false);
    }
}
