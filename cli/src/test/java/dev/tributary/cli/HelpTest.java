package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's and subcommand's --help, found by walking the command tree, prints a clean usage. */
class HelpTest {

    private static void collect(CommandLine command, List<List<String>> paths, List<String> path) {
        paths.add(path);
        for (CommandLine sub : command.getSubcommands().values()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getCommandName());
            if (!paths.contains(next)) { // an alias lists the same subcommand twice
                collect(sub, paths, next);
            }
        }
    }

    @Test
    void noHelpPrintsAWarning() {
        List<List<String>> paths = new ArrayList<>();
        collect(
                Tributary.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false),
                paths,
                List.of());
        assertThat(paths).as("the walk finds the commands").hasSizeGreaterThan(10);
        // picocli writes its warnings (a description that is not a valid format, say) to System.err.
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (List<String> path : paths) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                CliRun run = CliRun.of(args.toArray(String[]::new));
                assertThat(run.code()).as("%s", args).isZero();
                assertThat(run.out())
                        .as("%s", args)
                        .contains("Usage: tributary")
                        .doesNotContain("[picocli");
                assertThat(run.err()).as("%s", args).isEmpty();
                assertThat(captured.toString(StandardCharsets.UTF_8))
                        .as("standard error of %s", args)
                        .isEmpty();
            }
        } finally {
            System.setErr(stderr);
        }
    }
}
