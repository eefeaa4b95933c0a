package dev.tributary.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@link DriftEvaluation} from the command line: no Kafka, one table. */
@Command(
        name = "evaluate-drift",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Measure the drift detectors offline (no Kafka): a learner runs over synthetic streams whose truth",
            "changes at a known event (abruptly, or gradually) and over a stationary one; each detector watches the",
            "learner's per-event error as the train function feeds it. Prints, per stream and detector, the runs that",
            "noticed the change, the delay (events after the change), and the false alarms per million events before",
            "it, next to always-fire and never-fire baselines."
        },
        footer = {"", "Example: tributary evaluate-drift --runs 10 --stationary-events 1000000"})
public final class EvaluateDriftCommand implements Callable<Integer> {
    @Option(names = "--algorithm", paramLabel = "A", description = "linear, logistic (default) or svm.")
    AlgorithmName algorithm = AlgorithmName.logistic;

    @Option(
            names = "--features",
            paramLabel = "N",
            description = "Numeric features of the synthetic stream (default: 5).")
    int features = 5;

    @Option(names = "--runs", paramLabel = "N", description = "Seeds per stream (default: 5).")
    int runs = 5;

    @Option(
            names = "--events",
            paramLabel = "N",
            description = "Events of each drifting stream; the change comes half-way (default: 100000).")
    long events = 100_000;

    @Option(
            names = "--gradual-width",
            paramLabel = "N",
            description = "Events over which the gradual change takes over (default: 10000).")
    long gradualWidth = 10_000;

    @Option(
            names = "--stationary-events",
            paramLabel = "N",
            description = "Events of the stationary stream (default: 1000000).")
    long stationaryEvents = 1_000_000;

    @Option(
            names = "--recovery",
            description = {
                "Instead, measure how many events after an abrupt change (half-way "
                        + "through --events) the model takes to get its accuracy back, with --on-drift challenger and without."
            })
    boolean recovery;

    @Option(
            names = "--detector",
            paramLabel = "D",
            description = "The detector of --recovery: adwin (default) or " + "page-hinkley.")
    String detector = "adwin";

    @Option(
            names = "--promotion-window",
            paramLabel = "N",
            description = "For --recovery: the examples a challenger "
                    + "must beat the model on before it takes over, as models create takes it (default: 1000).")
    long promotionWindow = 1_000;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (runs < 1
                || features < 1
                || events < 2
                || stationaryEvents < 1
                || gradualWidth < 0
                || gradualWidth > events / 2) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--runs, --features, --events and "
                            + "--stationary-events must be positive, and --gradual-width between 0 and half of --events");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (recovery) {
            if (algorithm == AlgorithmName.linear) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--recovery measures accuracy: use --algorithm " + "logistic or svm");
            }
            out.println(DriftRecovery.table(
                    algorithm.algorithm, features, runs, events / 2, events, detector, promotionWindow));
            out.flush();
            return 0;
        }
        List<DriftEvaluation.Result> results = DriftEvaluation.run(
                DriftEvaluation.scenarios(events, gradualWidth, stationaryEvents),
                DriftEvaluation.DETECTORS,
                runs,
                algorithm.algorithm,
                features);
        out.println(table(results));
        out.flush();
        return 0;
    }

    static Table table(List<DriftEvaluation.Result> results) {
        Table table = new Table(
                "stream", "detector", "noticed", "mean delay", "median delay", "max delay", "false alarms / M");
        for (DriftEvaluation.Result r : results) {
            boolean drifts = r.scenario().drifts();
            table.row(
                    r.scenario().name(),
                    r.detector(),
                    drifts ? r.delays().size() + "/" + r.runs() : "",
                    drifts ? number(r.meanDelay()) : "",
                    drifts ? number(r.medianDelay()) : "",
                    drifts && r.maxDelay() >= 0 ? Long.toString(r.maxDelay()) : "",
                    String.format(Locale.ROOT, "%.1f", r.falseAlarmsPerMillion()));
        }
        return table;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }
}
