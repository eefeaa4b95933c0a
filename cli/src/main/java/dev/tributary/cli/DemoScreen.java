package dev.tributary.cli;

import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's live progress: redrawn in place about twice a second at a terminal (ANSI), or a plain
 * line every two seconds when stdout is a file or a pipe. Then the summary.
 */
final class DemoScreen {
    private static final int BAR = 32;

    private final PrintWriter out;
    private final boolean ansi;
    private final List<DemoModel> models;
    private final long total;
    private final long started = System.nanoTime();
    private int drawnLines;
    private long lastPlain;
    private long lastSent;
    private long lastPredicted;
    private long lastFrame = started;
    private double sentRate;
    private double predictedRate;

    DemoScreen(PrintWriter out, boolean ansi, List<DemoModel> models) {
        this.out = out;
        this.ansi = ansi;
        this.models = models;
        this.total = models.stream().mapToLong(DemoModel::count).sum();
    }

    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** One refresh: call about twice a second. */
    void frame(long sent, long predicted, long deadLetters, RegistryView view) {
        long now = System.nanoTime();
        double dt = (now - lastFrame) / 1e9;
        if (dt > 0.2) {
            sentRate = (sent - lastSent) / dt;
            predictedRate = (predicted - lastPredicted) / dt;
            lastSent = sent;
            lastPredicted = predicted;
            lastFrame = now;
        }
        if (ansi) {
            draw(lines(sent, predicted, deadLetters, view));
        } else if (now - lastPlain >= 2_000_000_000L || lastPlain == 0) {
            lastPlain = now;
            out.println(plainLine(sent, predicted, deadLetters, view));
            out.flush();
        }
    }

    /** The last frame, with the rates over the whole run. */
    void last(long sent, long predicted, long deadLetters, RegistryView view) {
        double s = Math.max(elapsedSeconds(), 1e-3);
        sentRate = sent / s;
        predictedRate = predicted / s;
        if (ansi) {
            draw(lines(sent, predicted, deadLetters, view));
        } else {
            out.println(plainLine(sent, predicted, deadLetters, view));
        }
        out.flush();
        drawnLines = 0;
    }

    private List<String> lines(long sent, long predicted, long deadLetters, RegistryView view) {
        List<String> lines = new ArrayList<>();
        double done = total == 0 ? 1 : Math.min(1.0, (predicted + deadLetters) / (double) total);
        int filled = (int) Math.round(done * BAR);
        lines.add(String.format(
                Locale.ROOT,
                "[%s%s] %3d%%  %5.1f s",
                "#".repeat(filled),
                ".".repeat(BAR - filled),
                Math.round(done * 100),
                elapsedSeconds()));
        lines.add(String.format(Locale.ROOT, "events sent  %10s  %s", Metrics.count(sent), rate(sentRate)));
        lines.add(String.format(
                Locale.ROOT,
                "predictions  %10s  %s   dead letters %s",
                Metrics.count(predicted),
                rate(predictedRate),
                Metrics.count(deadLetters)));
        lines.add("");
        Table table = new Table("MODEL", "ALGORITHM", "LABELS", "VERSION", "EXAMPLES", "PROGRESSIVE METRIC");
        for (DemoModel m : models) {
            ModelVersion v = view.latest(m.name()).orElse(null);
            table.row(
                    m.name(),
                    m.algorithm(),
                    labels(m),
                    v == null ? "-" : v.getVersion(),
                    v == null ? "-" : Metrics.count(v.getExamplesSeen()),
                    metric(v));
        }
        lines.addAll(table.lines());
        return lines;
    }

    private String plainLine(long sent, long predicted, long deadLetters, RegistryView view) {
        double done = total == 0 ? 1 : Math.min(1.0, (predicted + deadLetters) / (double) total);
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "[%5.1f s] %3d%%  sent %s %s, predictions %s %s, dead letters %s |",
                elapsedSeconds(),
                Math.round(done * 100),
                Metrics.count(sent),
                rate(sentRate),
                Metrics.count(predicted),
                rate(predictedRate),
                Metrics.count(deadLetters)));
        for (DemoModel m : models) {
            ModelVersion v = view.latest(m.name()).orElse(null);
            line.append(' ')
                    .append(m.name())
                    .append(" v")
                    .append(v == null ? "-" : v.getVersion())
                    .append(' ')
                    .append(metric(v))
                    .append(';');
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }

    /** Where the model's labels come from. */
    static String labels(DemoModel m) {
        return m.labelDelayMs() > 0 ? "feedback +" + m.labelDelayMs() / 1000 + " s" : "on the event";
    }

    /** The headline metric, and for a model that learns from feedback, the same metric of the predictions users got. */
    static String metric(ModelVersion v) {
        if (v == null) {
            return "-";
        }
        String name = v.getAlgorithm() == dev.tributary.schema.Algorithm.LINEAR_REGRESSION ? "r2" : "accuracy";
        Double delayed = v.getMetrics().get("delayed." + name);
        return Metrics.headline(v) + (delayed == null ? "" : " (delayed " + Metrics.number(delayed) + ")");
    }

    private static String rate(double perSecond) {
        // A finished replay sends nothing more: no rate rather than "(0/s)".
        return Double.isNaN(perSecond) || perSecond < 0.5 ? "" : "(" + Metrics.count(Math.round(perSecond)) + "/s)";
    }

    private void draw(List<String> lines) {
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) {
            b.append("\u001b[").append(drawnLines).append('F'); // to the start of the first line drawn
        }
        for (String line : lines) {
            b.append(line).append("\u001b[K").append('\n');
        }
        out.print(b);
        out.flush();
        drawnLines = lines.size();
    }

    /** The summary table and what to try next. */
    void summary(long sent, long predicted, long deadLetters, RegistryView view, boolean csv, double startupSeconds) {
        double s = Math.max(elapsedSeconds(), 1e-3);
        long versions = 0;
        Table table = new Table(
                "MODEL",
                "ALGORITHM",
                "LABELS",
                "VERSIONS",
                "EXAMPLES SEEN",
                "PROGRESSIVE METRIC",
                csv ? "" : "TRUE MODEL (BEST ACHIEVABLE)");
        for (DemoModel m : models) {
            ModelVersion v = view.latest(m.name()).orElse(null);
            int count = view.versions(m.name()).size();
            versions += count;
            String metric = metric(v);
            String best = m.best() == null
                    ? ""
                    : (m.algorithm() == dev.tributary.schema.Algorithm.LINEAR_REGRESSION ? "r2 " : "accuracy ")
                            + Metrics.number(m.best());
            table.row(
                    m.name(),
                    m.algorithm(),
                    labels(m),
                    count,
                    v == null ? "-" : Metrics.count(v.getExamplesSeen()),
                    metric,
                    best);
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "Done in %.1f s (%.1f s to start, %.1f s to stream): %s events sent, %s predictions "
                        + "(%s/s), %s dead letters, %s model versions.%n",
                startupSeconds + s,
                startupSeconds,
                s,
                Metrics.count(sent),
                Metrics.count(predicted),
                Metrics.count(Math.round(predicted / s)),
                Metrics.count(deadLetters),
                Metrics.count(versions));
        out.println();
        table.lines().forEach(out::println);
        out.println();
        if (!csv) {
            out.println(
                    "Progressive metrics are test-then-train over the whole stream: each event was scored before it was");
            out.println("learned from, through the drift half way. The true model knows both regimes' weights.");
            if (models.stream().anyMatch(m -> m.labelDelayMs() > 0)) {
                out.println(
                        "A model with labels as feedback learned each event once its label arrived on tributary.feedback;");
                out.println(
                        "'delayed' scores the prediction each event actually got, made before its label was known.");
            }
            out.println();
        }
        out.println("What to run next:");
        out.println("  ./tributary broker                 # a broker on 127.0.0.1:9092 (Ctrl-C stops it)");
        out.println(
                "  ./tributary run                    # the functions; run it again in another terminal to scale out");
        out.println("  ./tributary models create diamonds --algorithm linear "
                + "--features carat,cut,color,clarity,depth,table,x,y,z");
        out.println("  ./tributary produce --model diamonds --csv examples/data/diamonds.csv --label price");
        out.println("  ./tributary consume --from-beginning --max 5");
        out.println("  ./tributary models versions diamonds");
        out.println("  ./tributary models show diamonds");
        out.println("  ./tributary demo --csv FILE --label COLUMN --algorithm linear|logistic|svm");
        out.flush();
    }
}
