package dev.loki.ptree.node;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request bodies of the node API. {@code reason} (optional) is shown to reviewers when a change has to
 * wait for approval.
 */
public final class NodeRequests {

    public static final String PATH = "^/$|^(/[a-z0-9][a-z0-9_-]{0,62})+$";
    public static final String PATH_MESSAGE = "a tree path like /corp/search";

    private NodeRequests() {
    }

    public record CreateNodeRequest(
            @NotNull @Size(max = 700) @Pattern(regexp = PATH, message = PATH_MESSAGE) String parentPath,
            @NotNull @Pattern(regexp = NodeNames.NAME, message = NodeNames.NAME_MESSAGE) String name,
            @Pattern(regexp = NodeNames.TYPE, message = NodeNames.TYPE_MESSAGE) String type,
            @Size(max = 500) String reason) {
    }

    /** Rename ({@code name}), move ({@code parentPath}) or both; the subtree follows. */
    public record UpdateNodeRequest(
            @Pattern(regexp = NodeNames.NAME, message = NodeNames.NAME_MESSAGE) String name,
            @Size(max = 700) @Pattern(regexp = PATH, message = PATH_MESSAGE) String parentPath,
            @Size(max = 500) String reason) {
    }
}
