package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs in a fresh JVM without the Avro trust flag the test JVMs get, as a user's process would. */
class AvroTrustTest {
    /** Builds and round-trips a record whose builder needs a trusted enum; prints what happened. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("install")) {
            AvroTrust.install();
        }
        try {
            ModelSpec spec = ModelSpec.newBuilder()
                    .setName("m")
                    .setAlgorithm(Algorithm.LINEAR_REGRESSION)
                    .setFeatures(List.of("x"))
                    .setLearningRate(1)
                    .setPublishEvery(1)
                    .setPublishIntervalMs(1)
                    .setCreatedAt(0)
                    .build();
            System.out.print(
                    "ok " + ModelSpec.fromByteBuffer(spec.toByteBuffer()).getOptimizer());
        } catch (RuntimeException e) {
            System.out.print("refused");
        }
    }

    private static String runWithoutTheFlag(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), AvroTrustTest.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void installLetsAProcessWithoutTheFlagBuildAndDecodeRecords() throws Exception {
        assertThat(runWithoutTheFlag()).isEqualTo("refused");
        assertThat(runWithoutTheFlag("install")).isEqualTo("ok ADAGRAD");
    }
}
