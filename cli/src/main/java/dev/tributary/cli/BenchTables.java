package dev.tributary.cli;

import dev.tributary.bench.BenchReport;
import dev.tributary.bench.ColdStartPhase;
import dev.tributary.bench.FeedbackPhase;
import dev.tributary.bench.Freshness;
import dev.tributary.bench.LatencyPhase;
import dev.tributary.bench.Percentiles;
import dev.tributary.bench.ScaleOutPhase;
import dev.tributary.bench.ThroughputPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A bench report as the tables {@code tributary bench} prints. */
final class BenchTables {
    private BenchTables() {}

    static List<String> lines(BenchReport report) {
        List<String> out = new ArrayList<>();
        out.add(String.format(
                Locale.ROOT,
                "tributary bench: %,d events x %d features, %d partitions, %d stream thread%s, "
                        + "commit.interval.ms %d; %d cores (load %.2f at start); %s",
                report.settings().events(),
                report.settings().features(),
                report.settings().partitions(),
                report.settings().threads(),
                report.settings().threads() == 1 ? "" : "s",
                report.settings().commitIntervalMs(),
                report.machine().cores(),
                report.machine().loadAverageAtStart(),
                report.broker()));
        out.add("model: " + report.model());
        if (!report.settings().streamsOverrides().isEmpty()) {
            out.add("streams overrides: "
                    + report.settings().streamsOverrides().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", ")));
        }
        if (report.preload() != null) {
            out.add(String.format(
                    Locale.ROOT,
                    "preload: %,d events, %,d MB in %.1f s (%,.0f events/s)",
                    report.preload().events(),
                    report.preload().bytes() / 1_000_000,
                    report.preload().seconds(),
                    report.preload().eventsPerSecond()));
        }
        out.add("");
        out.add(
                "Throughput: input events / time from the first task assignment until the committed offsets reach the end offsets");
        Table t = new Table("guarantee", "topology", "events/s", "seconds", "startup s", "vs floor", "vs pass-through");
        for (ThroughputPhase.Result r : report.throughput()) {
            t.row(
                    r.guarantee(),
                    r.topology() + (r.complete() ? "" : " (partial)"),
                    String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", r.seconds()),
                    String.format(Locale.ROOT, "%.2f", r.startupSeconds()),
                    ratio(report.floorRatio(r.guarantee(), r.topology())),
                    ratio(report.ratio(r.guarantee(), r.topology())));
        }
        out.addAll(t.lines());
        out.add("floor: decode + a prediction-sized record (no model), so 'vs floor' is the cost of the model alone");
        for (String guarantee : report.settings().guarantees()) {
            Double shadow = report.shadowRatio(guarantee);
            if (shadow != null) {
                out.add(String.format(
                        Locale.ROOT, "%s: score with a shadow challenger / score = %.2f", guarantee, shadow));
            }
            Double later = report.feedbackRatio(guarantee);
            if (later != null) {
                out.add(String.format(
                        Locale.ROOT,
                        "%s: labels as feedback (%d ms later) / labels on the events (train+score) = %.2f",
                        guarantee,
                        FeedbackPhase.DELAY_MS,
                        later));
            }
        }
        if (!report.scaleOut().isEmpty()) {
            out.add("");
            out.add(String.format(
                    Locale.ROOT,
                    "Scale-out: train+score by 'tributary run' processes (1 stream thread each), "
                            + "events committed after the group is stable / time to the end. The instances share this machine's %d "
                            + "cores with the bench's own process (broker: %s): the ratio is bounded by the cores",
                    report.machine().cores(),
                    report.broker()));
            Table so = new Table("guarantee", "instances", "events/s", "seconds", "vs 1 instance");
            for (ScaleOutPhase.Result r : report.scaleOut()) {
                Double ratio = report.scaleOutRatio(r);
                so.row(
                        r.guarantee(),
                        r.instances() + (r.complete() ? "" : " (partial)"),
                        String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()),
                        String.format(Locale.ROOT, "%.2f", r.seconds()),
                        ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
            }
            out.addAll(so.lines());
        }
        if (!report.latency().isEmpty()) {
            out.add("");
            out.add(
                    "Latency of the score function (ms): event timestamp at send -> prediction received by a read_committed consumer");
            Table l = new Table(
                    "guarantee", "offered/s", "achieved/s", "samples", "p50", "p99", "p99.9", "max", "missing");
            for (LatencyPhase.Result r : report.latency()) {
                Percentiles.Summary p = r.latency();
                l.row(
                        r.guarantee(),
                        String.format(Locale.ROOT, "%,.0f", r.offeredRate()),
                        String.format(Locale.ROOT, "%,.0f", r.achievedRate()),
                        p == null ? "0" : String.format(Locale.ROOT, "%,d", p.samples()),
                        p == null ? "-" : p.p50(),
                        p == null ? "-" : p.p99(),
                        p == null ? "-" : p.p999(),
                        p == null ? "-" : p.max(),
                        r.missing());
            }
            out.addAll(l.lines());
            out.add("");
            out.add("Model swap (ms): publishVersion called -> first prediction stamped with the new version received");
            Table w = new Table("guarantee", "each swap", "median", "max", "publish call");
            for (LatencyPhase.Result r : report.latency()) {
                w.row(
                        r.guarantee(),
                        join(r.swapMs()),
                        r.swapMs().isEmpty() ? "-" : BenchReport.median(r.swapMs()),
                        r.swapMs().isEmpty()
                                ? "-"
                                : r.swapMs().stream()
                                        .mapToLong(Long::longValue)
                                        .max()
                                        .orElse(0),
                        join(r.publishMs()));
            }
            out.addAll(w.lines());
        }
        if (!report.freshness().isEmpty()) {
            out.add("");
            out.add(
                    "Freshness: labelled examples published before an event and not yet in the version that scored it; "
                            + "steady = train+score at 30 % of its throughput, catch-up = the throughput phase (all events waiting)");
            Table f = new Table(
                    "guarantee", "phase", "predictions", "p50", "p99", "max", "latency p50 ms", "latency p99 ms");
            for (Freshness.Result r : report.freshness()) {
                Percentiles.Summary b = r.examplesBehind();
                f.row(
                        r.guarantee(),
                        r.phase(),
                        b == null ? 0 : b.samples(),
                        b == null ? "-" : b.p50(),
                        b == null ? "-" : b.p99(),
                        b == null ? "-" : b.max(),
                        r.latency() == null ? "-" : r.latency().p50(),
                        r.latency() == null ? "-" : r.latency().p99());
            }
            out.addAll(f.lines());
        }
        if (!report.coldStart().isEmpty()) {
            out.add("");
            out.add("Cold start (ms): 'tributary run' process start -> first prediction received, one event waiting; "
                    + "median parts from the instance's log");
            List<String> header = new ArrayList<>(List.of("variant", "guarantee", "trials", "p50", "p99"));
            header.addAll(ColdStartPhase.PARTS);
            header.add("all tasks running");
            header.add("--version p50");
            Table c = new Table(header.toArray(String[]::new));
            for (ColdStartPhase.Result r : report.coldStart()) {
                Percentiles.Summary total = r.total();
                List<Object> row = new ArrayList<>(List.of(
                        r.variant(),
                        r.guarantee(),
                        r.trials().size(),
                        total == null ? "-" : total.p50(),
                        total == null ? "-" : total.p99()));
                r.medianParts().forEach(m -> row.add(m == null ? "-" : m));
                Percentiles.Summary running = r.allTasksRunning();
                row.add(running == null ? "-" : running.p50());
                Percentiles.Summary version = r.version();
                row.add(version == null ? "-" : version.p50());
                c.row(row.toArray());
            }
            out.addAll(c.lines());
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "wall time %.0f s", report.wallSeconds()));
        return out;
    }

    private static String ratio(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String join(List<Long> values) {
        return values.isEmpty() ? "-" : values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
