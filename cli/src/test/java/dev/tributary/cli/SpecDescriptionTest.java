package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecDescriptionTest {
    @Test
    void oneLineSaysWhatTheModelIsMadeOf() {
        String line = SpecDescription.describe(SpecOptionsTest.spec(
                "ctr",
                "--algorithm",
                "logistic",
                "--features",
                "a,b",
                "--categorical",
                "city",
                "--hash-bits",
                "6",
                "--label-wait",
                "30s",
                "--shadow",
                "blue"));
        assertThat(line)
                .startsWith(
                        "LOGISTIC_REGRESSION, features a,b, categorical city in 2^6 buckets; adagrad, learning rate ")
                .contains(", standardized; a version every 1000 examples or 5000 ms; manual promotion")
                .contains("; labels awaited 30000 ms, then dropped")
                .endsWith("; shadows blue");
    }
}
