package dev.tributary.cli;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecException;
import dev.tributary.functions.spec.FunctionSpecReader;
import dev.tributary.functions.spec.FunctionSpecs;
import dev.tributary.functions.spec.Quantities;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a function file and shows what {@code run --functions} would run. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Check a function file (functions.yaml) and print its functions.",
            "Every problem is reported with its line; run the functions with: tributary run --functions FILE"
        })
public final class DeployCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The function file, e.g. examples/functions.yaml.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FunctionSpecs functions = read(file, spec.commandLine().getErr());
        if (functions == null) {
            return Errors.USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary(functions));
        out.println(functions.functions().size() + " function(s) in " + file + ", wanting "
                + Quantities.formatBytes(functions.heapBytes())
                + " of heap together. Run them with: tributary run --functions "
                + file);
        out.flush();
        return 0;
    }

    /** The file's functions, or null after printing each of its problems (FILE:LINE: what) on {@code err}. */
    static FunctionSpecs read(Path file, PrintWriter err) {
        try {
            return FunctionSpecReader.read(file);
        } catch (FunctionSpecException e) {
            e.problems().forEach(err::println);
            err.println("tributary: " + file + " cannot be used ("
                    + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + "); nothing was run.");
            err.flush();
            return null;
        }
    }

    static Table summary(FunctionSpecs functions) {
        Table table = new Table(
                "FUNCTION",
                "KIND",
                "TRIGGER",
                "MODELS",
                "OUTPUT",
                "BATCH",
                "TIMEOUT",
                "RETRIES",
                "MEMORY",
                "THREADS",
                "APPLICATION ID");
        for (FunctionSpec f : functions.functions()) {
            table.row(
                    f.name(),
                    f.kind().name().toLowerCase(java.util.Locale.ROOT),
                    f.trigger(),
                    f.models().isEmpty() ? "(all)" : String.join(",", f.models()),
                    f.kind().scores() ? f.output() : "-",
                    batch(f),
                    Quantities.format(f.timeout()),
                    f.retries() + " (" + Quantities.format(f.backoff()) + ".." + Quantities.format(f.maxBackoff())
                            + ")",
                    Quantities.formatBytes(f.memoryBytes()),
                    f.threads(),
                    f.applicationId());
        }
        return table;
    }

    private static String batch(FunctionSpec f) {
        if (!f.kind().trains()) {
            return "-";
        }
        String size = f.batchSize() == null ? "model's" : f.batchSize().toString();
        String window = f.batchWindow() == null ? "model's" : Quantities.format(f.batchWindow());
        return size + " / " + window;
    }
}
