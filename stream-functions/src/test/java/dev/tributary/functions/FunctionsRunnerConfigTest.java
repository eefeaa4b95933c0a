package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecReader;
import dev.tributary.functions.spec.Routing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FunctionsRunnerConfigTest {
    private static final FunctionsRunner.Config LOCAL = FunctionsRunner.Config.local("127.0.0.1:9092", Path.of("s"));

    @Test
    void withoutAFileTheStandardFunctionRunsUnderTheConfigsApplicationId() {
        FunctionSpec self = LOCAL.routing().self();
        assertThat(self.name()).isEqualTo(FunctionSpec.STANDARD_NAME);
        assertThat(self.applicationId()).isEqualTo(LOCAL.applicationId());
        assertThat(self.kind()).isEqualTo(FunctionSpec.Kind.BOTH);
    }

    @Test
    void aFunctionOfAFileRunsAsItsOwnApplicationWithItsThreadsAndItsNameInUsage() throws Exception {
        Routing quotes = FunctionSpecReader.read(
                        "functions:\n  - name: quotes\n    threads: 3\n  - name: other\n", "f.yaml")
                .routings()
                .get(0);
        FunctionsRunner.Config config = LOCAL.forFunction(quotes);
        assertThat(config.applicationId()).isEqualTo("tributary-fn-quotes");
        assertThat(config.threads()).isEqualTo(3);
        assertThat(config.settings().metering().function()).isEqualTo("quotes");
        assertThat(config.routing()).isSameAs(quotes);
        assertThat(config.clientProperties()).isEqualTo(LOCAL.clientProperties());
        assertThat(config.stateDir()).isEqualTo(LOCAL.stateDir());
        assertThat(config.topics()).isEqualTo(LOCAL.topics());
        assertThat(config.partitions()).isEqualTo(LOCAL.partitions());
        assertThat(config.processingGuarantee()).isEqualTo(LOCAL.processingGuarantee());
    }

    @Test
    void eachWithChangesOnlyItsOwnPart() {
        assertThat(LOCAL.withApplicationId("other"))
                .isEqualTo(new FunctionsRunner.Config(
                        LOCAL.clientProperties(),
                        "other",
                        LOCAL.stateDir(),
                        LOCAL.topics(),
                        LOCAL.partitions(),
                        LOCAL.processingGuarantee(),
                        LOCAL.threads(),
                        LOCAL.settings(),
                        LOCAL.routing()));
        assertThat(LOCAL.withProcessingGuarantee("at_least_once").processingGuarantee())
                .isEqualTo("at_least_once");
        assertThat(LOCAL.withProcessingGuarantee("at_least_once").withProcessingGuarantee(LOCAL.processingGuarantee()))
                .isEqualTo(LOCAL);
        FunctionsTopology.Settings settings = LOCAL.settings().withMaxVersionBytes(1000);
        assertThat(LOCAL.withSettings(settings).settings()).isEqualTo(settings);
        assertThat(LOCAL.withSettings(settings).withSettings(LOCAL.settings())).isEqualTo(LOCAL);
    }
}
