package dev.loki.deploy.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How many hosts each batch takes, as Ansible's {@code serial} list reads: {@code "1 10% 50% 100%"} is
 * one canary host, then 10 % of all hosts, then half of them, then the rest; the last term repeats
 * until every host is done ({@code "5"} is batches of five). A share rounds down, but a batch takes at
 * least one host.
 */
public record Ramp(List<Amount> terms) {

    /** What {@link #parse} accepts, for messages. */
    public static final String MESSAGE = "1 to 20 batch sizes separated by spaces, each a count of at least 1 or a percentage "
            + "from 1% to 100%, like \"1 10% 50% 100%\"";

    public Ramp {
        terms = List.copyOf(terms);
        if (terms.isEmpty() || terms.size() > 20 || terms.stream().anyMatch(t -> t.value() == 0)) {
            throw new IllegalArgumentException(MESSAGE);
        }
    }

    /** Batches of {@code size} hosts each. */
    public static Ramp of(int size) {
        return new Ramp(List.of(new Amount(size, false)));
    }

    /** {@code text} as a ramp, or empty when it is not one (a zero term, like {@code 0%}, is not). */
    public static Optional<Ramp> parse(String text) {
        if (text == null || text.isBlank() || text.length() > 200) {
            return Optional.empty();
        }
        List<Amount> terms = new ArrayList<>();
        for (String term : text.strip().split("[\\s,]+")) {
            Optional<Amount> amount = Amount.parse(term);
            if (amount.isEmpty() || amount.get().value() == 0) {
                return Optional.empty();
            }
            terms.add(amount.get());
        }
        return terms.size() > 20 ? Optional.empty() : Optional.of(new Ramp(terms));
    }

    /** The most hosts batch {@code index} (from 0) may take out of {@code total}. */
    public int size(int index, int total) {
        Amount term = terms.get(Math.min(index, terms.size() - 1));
        return (int) Math.max(1, Math.min(total, term.of(total)));
    }

    @Override
    public String toString() {
        return String.join(" ", terms.stream().map(Amount::toString).toList());
    }
}
