package dev.loki.ptree.binding;

/** A server bound to a node: its share of the node's traffic (0..1) and whether it is taken out. */
public record Binding(long nodeId, String hostname, double trafficRatio, boolean offline) {
}
