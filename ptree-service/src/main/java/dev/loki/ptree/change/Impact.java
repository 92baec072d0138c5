package dev.loki.ptree.change;

import java.util.List;

/**
 * What a pending change would touch, as the tree is now: the nodes below the node (which move or go
 * with it), the servers and URLs bound in its subtree.
 *
 * @param hostnames the first 100 bound hostnames, sorted
 */
public record Impact(int subNodes, int servers, int urls, List<String> hostnames) {
}
