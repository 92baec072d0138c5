package dev.loki.events;

import java.time.Instant;
import java.util.List;

/** A server as asset-service stored it at the moment of an event (a payload part, not an event). */
public record ServerSnapshot(long id, String hostname, String sn, String type, Long vmHostId, String idc,
                             List<String> privateIps, List<String> publicIps, List<String> macs,
                             Integer cpuCores, Integer memoryMb, Integer diskGb, String os, String status,
                             Instant createdAt, Instant updatedAt) {
}
