package dev.loki.ptree.node;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A node as a change sees it before or after: what the change history records and what a revert
 * restores. {@code id} is absent for a node that a pending change would create.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeState(Long id, String name, String path, Long parentId, String parentPath, String type) {
}
