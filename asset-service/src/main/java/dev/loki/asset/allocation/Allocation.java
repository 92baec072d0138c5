package dev.loki.asset.allocation;

import java.time.Instant;

/** A hostname and private address reserved for a server about to be built. */
public record Allocation(long id, String idc, String hostname, String privateIp, String allocatedBy, Instant createdAt) {
}
