package dev.loki.events;

import java.util.List;

/**
 * One page of an authoritative, ordered change log (ptree-service's path changes at
 * {@code GET /internal/ptree/path-changes?after={sequence}&limit={n}}): the entries after a
 * position, oldest first. A consumer stores the sequence of the last entry it applied and asks for
 * what follows; sequences only grow but need not be consecutive.
 *
 * @param prunedThrough entries up to this sequence were removed by retention: a consumer whose stored
 *                      position is lower has missed some
 * @param items the entries after the position asked for, in order
 */
public record ChangeLogPage(long prunedThrough, List<Entry> items) {

    public ChangeLogPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /**
     * @param sequence the entry's position in the log
     * @param event the event as {@link EventCodec} encodes it (the same JSON a stream entry carries)
     */
    public record Entry(long sequence, String event) {
    }
}
