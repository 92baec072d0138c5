package dev.loki.ptree.node;

import java.time.Instant;

/** A node of the service tree as stored in its znode: identity, name, parent and type. */
public record Node(long id, String name, Long parentId, String type, Instant createdAt) {

    public static final long ROOT_ID = 1;

    public boolean isRoot() {
        return id == ROOT_ID;
    }

    Node renamed(String newName) {
        return new Node(id, newName, parentId, type, createdAt);
    }

    Node movedTo(long newParentId) {
        return new Node(id, name, newParentId, type, createdAt);
    }
}
