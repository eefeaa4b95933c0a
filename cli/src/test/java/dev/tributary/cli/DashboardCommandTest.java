package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardCommandTest {
    @Test
    void theDashboardsBillIsTheUsageCommandsBill() {
        var records = List.of(
                UsageBillTest.record("functions", "fraud", "a", 100, 3, 20.0, 4.0),
                UsageBillTest.record("functions", "churn", "a", 10, 0, 2.0, 1.0),
                UsageBillTest.record("functions", "fraud", "b", 50, 1, 10.0, 2.0));

        JsonNode dashboard = DashboardCommand.RENDERERS.bill(records, List.of("function", "model"));

        JsonNode cli = UsageBillTest.billOf(
                        List.of(UsageBill.By.function, UsageBill.By.model), UsageBill.Prices.EXAMPLE)
                .json();
        assertThat(dashboard).isEqualTo(cli);
    }

    @Test
    void aBadPortOrInstanceIsAUsageError() {
        assertThat(CliRun.of("dashboard", "--port", "70000").code()).isEqualTo(2);
        CliRun ftp = CliRun.of("dashboard", "--instance", "ftp://x");
        assertThat(ftp.code()).isEqualTo(2);
        assertThat(ftp.err()).contains("--instance takes an http:// or https:// address");
    }
}
