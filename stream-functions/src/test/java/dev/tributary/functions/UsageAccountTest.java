package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.schema.UsageRecord;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UsageAccountTest {
    static final long GIB = 1L << 30;

    static Map<String, UsageRecord> byModel(List<UsageRecord> records) {
        return records.stream().collect(Collectors.toMap(UsageRecord::getModel, Function.identity()));
    }

    @Test
    void countsInvocationsAndErrorsPerModel() {
        UsageAccount account = new UsageAccount(1_000);
        account.record("a", false, -1);
        account.record("a", true, -1);
        account.record("b", false, -1);

        Map<String, UsageRecord> records = byModel(account.close(11_000, "fn", "i1", "0_1", 3, GIB));

        assertThat(records.get("a").getInvocations()).isEqualTo(2);
        assertThat(records.get("a").getErrors()).isEqualTo(1);
        assertThat(records.get("b").getInvocations()).isEqualTo(1);
        assertThat(records.get("b").getErrors()).isZero();
        assertThat(records.get("a").getFunction()).isEqualTo("fn");
        assertThat(records.get("a").getInstance()).isEqualTo("i1");
        assertThat(records.get("a").getTask()).isEqualTo("0_1");
        assertThat(records.get("a").getIntervalStart()).isEqualTo(1_000);
        assertThat(records.get("a").getIntervalEnd()).isEqualTo(11_000);
    }

    @Test
    void savesOnlyTheModelsCountedSinceTheLastSave() {
        UsageAccount account = new UsageAccount(0);
        account.restore("restored", new UsageTally(0));
        account.record("a", false, -1);
        account.record("a", false, -1);
        account.record("b", true, -1);
        Map<String, Long> saved = new java.util.LinkedHashMap<>();
        account.saveChanged((model, counts) -> saved.put(model, counts.invocations));
        assertThat(saved).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L));

        saved.clear();
        account.saveChanged((model, counts) -> saved.put(model, counts.invocations));
        assertThat(saved).as("nothing counted since").isEmpty();

        account.record("b", false, -1);
        account.saveChanged((model, counts) -> saved.put(model, counts.invocations));
        assertThat(saved).containsExactly(Map.entry("b", 2L));
    }

    @Test
    void theLastModelsCountsAreNotReusedAcrossARestoreOrAClose() {
        UsageAccount account = new UsageAccount(0);
        account.record(new String("a"), false, -1);
        UsageTally restored = new UsageTally(0);
        restored.invocations = 10;
        account.restore("a", restored);
        assertThat(account.record(new String("a"), false, -1)).isSameAs(restored);
        assertThat(restored.invocations).isEqualTo(11);

        account.close(1_000, "fn", "i1", "0_1", 11, GIB);
        UsageTally next = account.record("a", false, -1);
        assertThat(next).isNotSameAs(restored);
        assertThat(next.invocations).isEqualTo(1);
        assertThat(account.record("b", false, -1).invocations).isEqualTo(1);
        assertThat(account.record("a", false, -1)).isSameAs(next);
        assertThat(byModel(account.close(2_000, "fn", "i1", "0_1", 3, GIB))
                        .get("a")
                        .getInvocations())
                .isEqualTo(2);
    }

    @Test
    void gbSecondsAreHeapTimesSecondsApportionedByInvocationShare() {
        UsageAccount account = new UsageAccount(0);
        for (int i = 0; i < 3; i++) {
            account.record("a", false, -1);
        }
        account.record("b", false, -1);
        // 2 GiB for 10 s; the instance's other tasks handled 4 more invocations: a has 3 of 8, b 1 of 8.
        Map<String, UsageRecord> records = byModel(account.close(10_000, "fn", "i", "t", 8, 2 * GIB));

        assertThat(records.get("a").getGbSeconds()).isCloseTo(2 * 10 * 3 / 8.0, within(1e-9));
        assertThat(records.get("b").getGbSeconds()).isCloseTo(2 * 10 * 1 / 8.0, within(1e-9));
        assertThat(records.get("a").getHeapBytes()).isEqualTo(2 * GIB);
    }

    @Test
    void aTaskAloneOnItsInstanceIsBilledTheWholeHeapTime() {
        UsageAccount account = new UsageAccount(0);
        account.record("a", false, -1);
        account.record("b", true, -1);
        List<UsageRecord> records = account.close(4_000, "fn", "i", "t", 2, GIB);
        assertThat(records.stream().mapToDouble(UsageRecord::getGbSeconds).sum())
                .isCloseTo(4.0, within(1e-9));
    }

    @Test
    void cpuIsTheSampledMeanTimesTheInvocations() {
        UsageAccount account = new UsageAccount(0);
        account.record("a", false, 2_000_000); // sampled: 2 ms
        account.record("a", false, -1);
        account.record("a", false, 4_000_000); // sampled: 4 ms
        account.record("a", false, -1);
        account.record("b", false, -1); // no sample of its own: the task's mean, 3 ms
        Map<String, UsageRecord> records = byModel(account.close(1_000, "fn", "i", "t", 5, GIB));
        assertThat(records.get("a").getCpuMillis()).isCloseTo(4 * 3.0, within(1e-9));
        assertThat(records.get("b").getCpuMillis()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void oneInvocationInSixteenIsSampledStartingWithTheFirst() {
        UsageAccount account = new UsageAccount(0);
        int sampled = 0;
        for (int i = 0; i < 64; i++) {
            if (account.sampleNext()) {
                assertThat(i % UsageAccount.CPU_SAMPLE_EVERY).isZero();
                sampled++;
            }
        }
        assertThat(sampled).isEqualTo(64 / UsageAccount.CPU_SAMPLE_EVERY);
    }

    @Test
    void closingStartsANewEmptyIntervalAtThatTime() {
        UsageAccount account = new UsageAccount(0);
        account.record("a", false, -1);
        account.close(10_000, "fn", "i", "t", 1, GIB);

        assertThat(account.isEmpty()).isTrue();
        assertThat(account.intervalStart()).isEqualTo(10_000);
        assertThat(account.close(20_000, "fn", "i", "t", 0, GIB)).isEmpty(); // idle: no record

        account.record("b", false, -1);
        List<UsageRecord> next = account.close(30_000, "fn", "i", "t", 1, GIB);
        assertThat(next).singleElement().satisfies(r -> {
            assertThat(r.getModel()).isEqualTo("b");
            assertThat(r.getIntervalStart()).isEqualTo(20_000);
            assertThat(r.getInvocations()).isEqualTo(1);
            assertThat(r.getGbSeconds()).isCloseTo(10.0, within(1e-9));
        });
    }

    @Test
    void restoredCountsAreWrittenWithTheirOwnStartAndBilledOnlyForTimeOnThisInstance() {
        UsageTally saved = new UsageTally(5_000);
        saved.invocations = 4;
        saved.errors = 1;
        UsageAccount account = new UsageAccount(50_000); // restarted long after the counts began
        account.restore("a", UsageTally.fromBytes(saved.toBytes()));
        account.record("a", false, -1);

        // This instance's counter saw only the one new invocation: the share is of the task's 5, not over 1.
        UsageRecord r = account.close(60_000, "fn", "i", "t", 1, GIB).get(0);

        assertThat(r.getInvocations()).isEqualTo(5);
        assertThat(r.getErrors()).isEqualTo(1);
        assertThat(r.getIntervalStart()).isEqualTo(5_000);
        assertThat(r.getGbSeconds()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void countsSurviveTheirBytes() {
        UsageTally c = new UsageTally(123);
        c.invocations = 7;
        c.errors = 2;
        c.cpuSampleNanos = 99;
        c.cpuSamples = 1;
        UsageTally back = UsageTally.fromBytes(c.toBytes());
        assertThat(back).usingRecursiveComparison().isEqualTo(c);
    }
}
