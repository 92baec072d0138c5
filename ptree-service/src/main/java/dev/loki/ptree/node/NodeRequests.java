package dev.loki.ptree.node;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.loki.support.ValidNodePath;

/**
 * Request bodies of the node API. {@code reason} (optional) is shown to reviewers when a change has to
 * wait for approval.
 */
public final class NodeRequests {

    private NodeRequests() {
    }

    public record CreateNodeRequest(
            @NotNull @ValidNodePath String parentPath,
            @NotNull @Pattern(regexp = NodeNames.NAME, message = NodeNames.NAME_MESSAGE) String name,
            @Pattern(regexp = NodeNames.TYPE, message = NodeNames.TYPE_MESSAGE) String type,
            @Size(max = 500) String reason) {
    }

    /** Rename ({@code name}), move ({@code parentPath}) or both; the subtree follows. */
    public record UpdateNodeRequest(
            @Pattern(regexp = NodeNames.NAME, message = NodeNames.NAME_MESSAGE) String name,
            @ValidNodePath String parentPath,
            @Size(max = 500) String reason) {
    }
}
