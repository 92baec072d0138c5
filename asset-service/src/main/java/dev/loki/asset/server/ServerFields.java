package dev.loki.asset.server;

import java.util.List;
import java.util.Objects;

/** The writable fields of a server, normalised (canonical addresses, defaults applied). */
public record ServerFields(String hostname, String sn, String type, Long vmHostId, String idc,
                           List<String> privateIps, List<String> publicIps, List<String> macs,
                           Integer cpuCores, Integer memoryMb, Integer diskGb, String os) {

    public ServerFields {
        type = type == null ? "raw" : type;
        privateIps = canonicalIps(privateIps);
        publicIps = canonicalIps(publicIps);
        macs = macs == null ? List.of() : macs.stream().map(m -> Addresses.mac(m).orElse(m)).distinct().toList();
        os = os == null || os.isBlank() ? null : os.strip();
    }

    private static List<String> canonicalIps(List<String> ips) {
        return ips == null ? List.of() : ips.stream().map(ip -> Addresses.ip(ip).orElse(ip)).distinct().toList();
    }

    static ServerFields of(Server s) {
        return new ServerFields(s.hostname(), s.sn(), s.type(), s.vmHostId(), s.idc(), s.privateIps(), s.publicIps(),
                s.macs(), s.cpuCores(), s.memoryMb(), s.diskGb(), s.os());
    }

    static ServerFields of(ServerRequests.CreateServerRequest r) {
        return new ServerFields(r.hostname(), r.sn(), r.type(), r.vmHostId(), r.idc(), r.privateIps(), r.publicIps(),
                r.macs(), r.cpuCores(), r.memoryMb(), r.diskGb(), r.os());
    }

    /** This server with the given changes applied; changing the type to raw drops the VM host. */
    ServerFields with(ServerRequests.UpdateServerRequest r) {
        String newType = r.type() != null ? r.type() : type;
        Long newHost = "raw".equals(newType) ? r.vmHostId() : (r.vmHostId() != null ? r.vmHostId() : vmHostId);
        return new ServerFields(r.hostname() != null ? r.hostname() : hostname, r.sn() != null ? r.sn() : sn, newType,
                newHost, r.idc() != null ? r.idc() : idc,
                r.privateIps() != null ? r.privateIps() : privateIps, r.publicIps() != null ? r.publicIps() : publicIps,
                r.macs() != null ? r.macs() : macs, r.cpuCores() != null ? r.cpuCores() : cpuCores,
                r.memoryMb() != null ? r.memoryMb() : memoryMb, r.diskGb() != null ? r.diskGb() : diskGb,
                r.os() != null ? r.os() : os);
    }

    /** What an agent reports replaces addresses and hardware; name, type, host and IDC are kept unless given. */
    ServerFields with(ServerRequests.RegisterRequest r) {
        return new ServerFields(r.hostname(), sn, r.type() != null ? r.type() : type,
                r.vmHostId() != null ? r.vmHostId() : vmHostId, r.idc() != null ? r.idc() : idc,
                r.privateIps() != null ? r.privateIps() : privateIps, r.publicIps() != null ? r.publicIps() : publicIps,
                r.macs() != null ? r.macs() : macs, r.cpuCores() != null ? r.cpuCores() : cpuCores,
                r.memoryMb() != null ? r.memoryMb() : memoryMb, r.diskGb() != null ? r.diskGb() : diskGb,
                r.os() != null ? r.os() : os);
    }

    static ServerFields of(ServerRequests.RegisterRequest r) {
        return new ServerFields(r.hostname(), r.sn(), r.type(), r.vmHostId(), r.idc(), r.privateIps(), r.publicIps(),
                r.macs(), r.cpuCores(), r.memoryMb(), r.diskGb(), r.os());
    }

    boolean isGuest() {
        return !"raw".equals(type);
    }

    boolean sameAs(ServerFields other) {
        return Objects.equals(this, other);
    }
}
