package dev.loki.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11, item 24: how soon a dead service is started again. */
class RestartBackoffTests {

    @ParameterizedTest(name = "exit {0} in a row -> {1} s")
    @CsvSource({"0, 1", "1, 1", "2, 2", "3, 4", "4, 8", "5, 16", "6, 32", "7, 60", "8, 60", "1000, 60"})
    void doublesUpToAMinute(int exitsInARow, long seconds) {
        assertThat(RestartBackoff.delay(exitsInARow).toSeconds()).isEqualTo(seconds);
    }
}
