package dev.loki.ptree.node;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A node as the API shows it; {@code children} only in nested reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeView(long id, String name, String path, Long parentId, String type, List<NodeView> children) {
}
