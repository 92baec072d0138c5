package dev.loki.asset.importing;

import java.util.List;

/** What an import did: rows created, updated and left as they were, and each refused row with its reason. */
public record ImportReport(int created, int updated, int unchanged, List<LineError> errors) {

    /** {@code line} counts from 1 with the header as line 1. */
    public record LineError(long line, String message) {
    }
}
