package dev.loki.asset.idc;

import java.time.Instant;

/** A data centre and its private network. */
public record Idc(long id, String name, String location, String network, Instant createdAt) {
}
