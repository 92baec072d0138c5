package dev.loki.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, item 2: what a ramp and an amount accept, and the batch sizes a ramp gives. */
class RampTests {

    @ParameterizedTest(name = "\"{0}\" on {1} hosts → {2}")
    @CsvSource(delimiter = '!', textBlock = """
            1 10% 50% 100% ! 20  ! 1 2 10 20 20
            1 10% 50% 100% ! 3   ! 1 1 1 3 3
            5              ! 12  ! 5 5 5 5 5
            25%            ! 10  ! 2 2 2 2 2
            1,2,3          ! 100 ! 1 2 3 3 3
            100%           ! 1   ! 1 1 1 1 1
            """)
    void sizes(String ramp, int hosts, String sizes) {
        Ramp parsed = Ramp.parse(ramp).orElseThrow();
        String actual = String.join(" ", java.util.stream.IntStream.range(0, 5).mapToObj(i -> String.valueOf(parsed.size(i, hosts))).toList());
        assertThat(actual).isEqualTo(sizes.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "0", "0%", "1 0%", "101%", "-1", "1.5", "ten", "1 2 x", "9999999999", "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"})
    void rejects(String ramp) {
        assertThat(Ramp.parse(ramp)).isEmpty();
    }

    @ParameterizedTest(name = "{0} of {1} = {2}")
    @CsvSource({"3, 10, 3", "10%, 15, 1", "0, 5, 0", "0%, 5, 0", "100%, 7, 7", "50%, 7, 3"})
    void amounts(String amount, long total, long expected) {
        assertThat(Amount.parse(amount).orElseThrow().of(total)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "101%", "1.5", "%", "5 %", "x"})
    void rejectsAmounts(String amount) {
        assertThat(Amount.parse(amount)).isEmpty();
    }
}
