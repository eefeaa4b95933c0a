package dev.tributary.cli;

import dev.tributary.autoscale.AutoscaleException;
import dev.tributary.producers.CsvFormatException;
import dev.tributary.registry.RegistryUnavailableException;
import java.io.PrintWriter;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one sentence on stderr: usage errors exit 2, runtime errors exit 1.
 * Stack traces only with {@code --verbose}.
 */
final class Errors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    static final int RUNTIME = 1;
    static final int USAGE = 2;

    private final PrintWriter err;
    private final boolean verbose;

    Errors(PrintWriter err, boolean verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = oneLine(ex.getMessage());
        java.util.List<String> suggestions = ex instanceof CommandLine.UnmatchedArgumentException unmatched
                ? suggestions(cmd, unmatched)
                : java.util.List.of();
        if (!suggestions.isEmpty()) {
            message += terminate(message) + " Did you mean "
                    + String.join(
                            " or ", suggestions.stream().map(s -> "'" + s + "'").toList()) + "?";
        }
        err.println("tributary: " + message + terminate(message) + " See '"
                + cmd.getCommandSpec().qualifiedName() + " --help'.");
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    private static java.util.List<String> suggestions(CommandLine cmd, CommandLine.UnmatchedArgumentException ex) {
        if (ex.getUnmatched().isEmpty()) {
            return java.util.List.of();
        }
        String typed = ex.getUnmatched().get(0);
        String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        java.util.Collection<String> known = name.startsWith("-")
                ? cmd.getCommandSpec().optionsMap().keySet()
                : cmd.getCommandSpec().subcommands().keySet();
        return Suggestions.near(name, known);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        if (ex instanceof ParameterException p) {
            return handleParseException(p, parseResult.originalArgs().toArray(String[]::new));
        }
        String message = describe(ex);
        boolean expected = saysItAll(ex);
        err.println("tributary: " + message + terminate(message)
                + (expected || verbose ? "" : " Run again with --verbose for details."));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return RUNTIME;
    }

    /** Exceptions whose message is already the one sentence a user needs. */
    private static boolean saysItAll(Throwable t) {
        return t instanceof CliException
                || t instanceof CsvFormatException
                || t instanceof RegistryUnavailableException
                || t instanceof AutoscaleException;
    }

    /** The sentence for a failure. */
    static String describe(Throwable ex) {
        if (saysItAll(ex)) {
            return oneLine(ex.getMessage());
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (saysItAll(t)) {
                return oneLine(t.getMessage());
            }
            if (t instanceof AuthenticationException) {
                return "Kafka refused the credentials: " + oneLine(t.getMessage());
            }
            if (t instanceof AuthorizationException) {
                return "Kafka denied the request: " + oneLine(t.getMessage());
            }
            if (t instanceof TimeoutException) {
                return "a Kafka request timed out (is the broker reachable?): " + oneLine(t.getMessage());
            }
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root.getMessage());
        if (ex instanceof KafkaException || root instanceof KafkaException) {
            return "Kafka error: " + what;
        }
        if (ex.getMessage() != null && ex != root && !ex.getMessage().contains(what)) {
            return oneLine(ex.getMessage()) + ": " + what;
        }
        return ex == root && ex.getMessage() != null ? what : root.getClass().getSimpleName() + ": " + what;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.length() > 400 ? line.substring(0, 397) + "..." : line;
    }

    private static String terminate(String message) {
        return message.endsWith(".") || message.endsWith("?") || message.endsWith("!") ? "" : ".";
    }
}
