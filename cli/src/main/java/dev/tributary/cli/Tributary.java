package dev.tributary.cli;

import dev.tributary.schema.AvroTrust;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code tributary} command. Each subcommand lives in its own class and only wires the other
 * modules together. Exit codes: 0 success, 1 runtime error, 2 usage error; an error is one sentence
 * on stderr ({@code --verbose} adds the stack trace).
 */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = "Serverless-style online machine learning on Apache Kafka.",
        footer = {"", "Start with: tributary demo"})
public final class Tributary implements Runnable {
    /**
     * The subcommands, in the order of the help. A command line names one of them first: only that one is
     * built (picocli reads each command's options by reflection, and loads the types they use), so that
     * {@code tributary run} does not pay for the model of every other command.
     */
    private static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            BrokerCommand.class,
            DeployCommand.class,
            RunCommand.class,
            AutoscaleCommand.class,
            GatewayCommand.class,
            ModelsCommand.class,
            EvaluateCommand.class,
            EvaluateDriftCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            UsageCommand.class,
            SchemasCommand.class,
            BenchCommand.class,
            DashboardCommand.class,
            WarmUpCommand.class,
            CommandLine.HelpCommand.class);

    static {
        AvroTrust.install();
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show the stack trace of an error.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        List<String> commands = spec.subcommands().entrySet().stream()
                .filter(c -> !c.getKey().equals("help")
                        && !c.getValue().getCommandSpec().usageMessage().hidden())
                .map(java.util.Map.Entry::getKey)
                .toList();
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing a command: " + String.join(", ", commands.subList(0, commands.size() - 1)) + " or "
                        + commands.get(commands.size() - 1));
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            preloadNativeLibraries();
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Loads RocksDB's native library (the state stores' engine) on a thread of its own while the command
     * line is parsed and the instance connects: its first load writes a 15 MB library out of the jar to the
     * temporary directory, which would otherwise delay the first task of a {@code run}.
     */
    static void preloadNativeLibraries() {
        Thread preload = new Thread(
                () -> {
                    try {
                        Class.forName("org.rocksdb.RocksDB", true, Tributary.class.getClassLoader());
                    } catch (ClassNotFoundException | LinkageError e) {
                        // the stream threads load it again, and report what fails
                    }
                },
                "tributary-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /** Runs one command line; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err, verbose(args), commandName(args)).execute(args);
    }

    /** The configured command line: output streams, error handling, case-insensitive enums. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean verbose) {
        return commandLine(out, err, verbose, null);
    }

    /**
     * The same with only the subcommand named {@code only}, when it is one (every subcommand otherwise: for
     * the help, and to suggest a name near a mistyped one).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean verbose, String only) {
        Errors errors = new Errors(err, verbose);
        CommandLine cli = new CommandLine(new Tributary());
        List<Class<?>> chosen = COMMANDS.stream()
                .filter(c -> !"help".equals(only)
                        && c.getAnnotation(Command.class).name().equals(only))
                .toList();
        for (Class<?> command : chosen.isEmpty() ? COMMANDS : chosen) {
            cli.addSubcommand(command);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(errors);
        cli.setExecutionExceptionHandler(errors);
        cli.setUsageHelpAutoWidth(true);
        return cli;
    }

    /** The first argument that is not an option: the subcommand's name, if the command line is right. */
    static String commandName(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if ("--verbose".equals(a)) {
                return true;
            }
            if ("--".equals(a)) {
                break;
            }
        }
        return false;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tributary.class.getPackage().getImplementationVersion();
            return new String[] {"tributary " + (v == null ? "(development build)" : v)};
        }
    }
}
