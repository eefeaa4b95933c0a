package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaErrorsTest {
    @Test
    void saslWithoutAJaasEntryNamesTheRootCause(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(
                dir.resolve("client.properties"), "security.protocol=SASL_PLAINTEXT\n" + "sasl.mechanism=PLAIN\n");
        CliRun run =
                CliRun.of("models", "list", "--bootstrap-servers", "127.0.0.1:1", "--kafka-config", config.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("JAAS").doesNotContain("Failed to create new NetworkClient");
    }

    @Test
    void aListenerThatIsNotKafkaIsUnreachableInOneSentence() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CliRun run = CliRun.of("models", "list", "--bootstrap-servers", "127.0.0.1:" + silent.getLocalPort());
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains("cannot reach Kafka at 127.0.0.1:" + silent.getLocalPort());
        }
    }
}
