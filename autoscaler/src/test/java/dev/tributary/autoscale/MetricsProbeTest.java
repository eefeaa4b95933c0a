package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsProbeTest {
    @TempDir
    Path dir;

    @Test
    void readsAGaugeWithOrWithoutLabels() {
        String text = """
        # HELP process_cpu_usage The "recent cpu usage" for the Java Virtual Machine process
        # TYPE process_cpu_usage gauge
        process_cpu_usage 0.4375
        process_cpu_usage_other 9
        jvm_heap_usage{application="x"} 0.25
        """;
        assertThat(MetricsProbe.value(text, MetricsProbe.CPU)).isEqualTo(0.4375);
        assertThat(MetricsProbe.value(text, MetricsProbe.HEAP)).isEqualTo(0.25);
        assertThat(MetricsProbe.value(text, "jvm_threads_live_threads")).isNull();
    }

    @Test
    void findsThePortARunInstancePrinted() throws Exception {
        Path out = dir.resolve("instance.out");
        Files.writeString(out, "");
        assertThat(MetricsProbe.port(out)).as("not printed yet").isNull();
        Files.writeString(
                out,
                "Tributary functions running: instance i-1, application id a, exactly_once_v2, Kafka h:1, "
                        + "state /s, /metrics /health /ready on port 41234. Press Ctrl-C to stop.\n");
        assertThat(MetricsProbe.port(out)).isEqualTo(41234);
        assertThat(MetricsProbe.port(dir.resolve("missing.out"))).isNull();
    }
}
