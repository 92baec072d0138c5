package dev.loki.ptree.binding;

/** A URL (domain + path) bound to a node; its requests count in the node's availability. */
public record UrlBinding(String id, long nodeId, String domain, String path) {
}
