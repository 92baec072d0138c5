package dev.loki.deploy.plan;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A count or a share: {@code 3} or {@code 25%} ({@code maxFailures}, {@code maxUnavailable}, ramp terms).
 * A share of a total rounds down, as Ansible's {@code serial} does, so {@code 10%} of 15 hosts is 1.
 */
public record Amount(int value, boolean percent) {

    /** What {@link #parse} accepts, for messages. */
    public static final String MESSAGE = "a whole number (0 or more) or a percentage from 0% to 100%, like 3 or 25%";

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(%?)");

    public Amount {
        if (value < 0 || percent && value > 100) {
            throw new IllegalArgumentException(MESSAGE);
        }
    }

    /** {@code text} as an amount, or empty when it is not one. */
    public static Optional<Amount> parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int value = Integer.parseInt(m.group(1));
        boolean percent = !m.group(2).isEmpty();
        return percent && value > 100 ? Optional.empty() : Optional.of(new Amount(value, percent));
    }

    /** This amount of {@code total}: the count itself, or the share rounded down. */
    public long of(long total) {
        return percent ? total * value / 100 : value;
    }

    /** This amount of {@code total} as an exact figure (for weighted capacity). */
    public double exactlyOf(double total) {
        return percent ? total * value / 100.0 : value;
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
