package dev.loki.asset.server;

import java.time.Instant;
import java.util.List;

import dev.loki.events.ServerSnapshot;

/** A server in the inventory (also what the API shows: every field is public information). */
public record Server(long id, String hostname, String sn, String type, Long vmHostId, String idc,
                     List<String> privateIps, List<String> publicIps, List<String> macs,
                     Integer cpuCores, Integer memoryMb, Integer diskGb, String os, String status,
                     Instant createdAt, Instant updatedAt) {

    public ServerSnapshot snapshot() {
        return new ServerSnapshot(id, hostname, sn, type, vmHostId, idc, privateIps, publicIps, macs,
                cpuCores, memoryMb, diskGb, os, status, createdAt, updatedAt);
    }

    /** Same content, ignoring the timestamps. */
    boolean sameFieldsAs(Server other) {
        return hostname.equals(other.hostname) && sn.equals(other.sn) && type.equals(other.type)
                && java.util.Objects.equals(vmHostId, other.vmHostId) && java.util.Objects.equals(idc, other.idc)
                && privateIps.equals(other.privateIps) && publicIps.equals(other.publicIps) && macs.equals(other.macs)
                && java.util.Objects.equals(cpuCores, other.cpuCores) && java.util.Objects.equals(memoryMb, other.memoryMb)
                && java.util.Objects.equals(diskGb, other.diskGb) && java.util.Objects.equals(os, other.os);
    }
}
