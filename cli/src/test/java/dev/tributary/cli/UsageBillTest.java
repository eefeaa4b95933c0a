package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schema.UsageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageBillTest {
    static UsageRecord record(
            String function,
            String model,
            String instance,
            long invocations,
            long errors,
            double cpuMillis,
            double gbSeconds) {
        return UsageRecord.newBuilder()
                .setFunction(function)
                .setModel(model)
                .setInstance(instance)
                .setTask("0_0")
                .setIntervalStart(0)
                .setIntervalEnd(10_000)
                .setInvocations(invocations)
                .setErrors(errors)
                .setCpuMillis(cpuMillis)
                .setHeapBytes(1L << 30)
                .setGbSeconds(gbSeconds)
                .build();
    }

    static UsageBill billOf(List<UsageBill.By> by, UsageBill.Prices prices) {
        UsageBill bill = new UsageBill(by, prices);
        bill.add(record("functions", "fraud", "a", 100, 3, 20.0, 4.0));
        bill.add(record("functions", "churn", "a", 10, 0, 2.0, 1.0));
        bill.add(record("functions", "fraud", "b", 50, 1, 10.0, 2.0));
        return bill;
    }

    @Test
    void sumsRecordsPerFunctionAndModel() {
        UsageBill bill = billOf(List.of(UsageBill.By.function, UsageBill.By.model), UsageBill.Prices.EXAMPLE);

        assertThat(bill.lines()).containsOnlyKeys(List.of("functions", "churn"), List.of("functions", "fraud"));
        UsageBill.Line fraud = bill.lines().get(List.of("functions", "fraud"));
        assertThat(fraud.invocations).isEqualTo(150);
        assertThat(fraud.errors).isEqualTo(4);
        assertThat(fraud.cpuMillis).isCloseTo(30.0, within(1e-9));
        assertThat(fraud.gbSeconds).isCloseTo(6.0, within(1e-9));
        assertThat(fraud.records).isEqualTo(2);
        assertThat(bill.total().invocations).isEqualTo(160);
    }

    @Test
    void groupsByInstance() {
        UsageBill bill = billOf(List.of(UsageBill.By.instance), UsageBill.Prices.EXAMPLE);
        assertThat(bill.lines()).containsOnlyKeys(List.of("a"), List.of("b"));
        assertThat(bill.lines().get(List.of("a")).invocations).isEqualTo(110);
    }

    @Test
    void costIsGbSecondsAndInvocationsAtTheirPrices() {
        UsageBill.Prices prices = new UsageBill.Prices(0.5, 2_000_000.0); // 2 per invocation
        UsageBill.Line line = new UsageBill.Line();
        line.add(record("f", "m", "i", 3, 0, 0, 10.0));
        assertThat(prices.cost(line)).isCloseTo(10 * 0.5 + 3 * 2.0, within(1e-9));
    }

    @Test
    void theTableHasARowPerGroupAndATotal() {
        List<String> lines = billOf(List.of(UsageBill.By.function, UsageBill.By.model), new UsageBill.Prices(1.0, 0))
                .table()
                .lines();
        assertThat(lines.get(0))
                .startsWith("FUNCTION")
                .contains("MODEL", "INVOCATIONS", "ERRORS", "CPU MS", "GB-SECONDS", "COST");
        assertThat(lines.get(1)).startsWith("functions").contains("churn", "10", "2.0", "1.000", "1.000000");
        assertThat(lines.get(2)).contains("fraud", "150", "30.0", "6.000", "6.000000");
        assertThat(lines.get(3)).startsWith("TOTAL").contains("160", "7.000000");
        assertThat(lines).hasSize(4);
    }

    @Test
    void oneRowHasNoTotal() {
        UsageBill bill = new UsageBill(List.of(UsageBill.By.model), UsageBill.Prices.EXAMPLE);
        bill.add(record("f", "m", "i", 1, 0, 0, 0));
        assertThat(bill.table().lines()).hasSize(2);
    }

    @Test
    void jsonHasTheRowsTheTotalAndThePrices() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.compact(
                billOf(List.of(UsageBill.By.model), UsageBill.Prices.EXAMPLE).json()));
        assertThat(json.get("by").get(0).asText()).isEqualTo("model");
        assertThat(json.get("rows")).hasSize(2);
        assertThat(json.get("rows").get(1).get("model").asText()).isEqualTo("fraud");
        assertThat(json.get("rows").get(1).get("invocations").asLong()).isEqualTo(150);
        assertThat(json.get("total").get("errors").asLong()).isEqualTo(4);
        assertThat(json.get("total").get("cost").asDouble())
                .isCloseTo(7.0 * 0.0000166667 + 160 / 1e6 * 0.20, within(1e-12));
        assertThat(json.get("prices").get("perMillionInvocations").asDouble()).isEqualTo(0.20);
    }
}
