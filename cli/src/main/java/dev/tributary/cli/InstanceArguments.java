package dev.tributary.cli;

import dev.tributary.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The arguments the autoscaler gives every {@code tributary run} instance after {@code run
 * --state-dir DIR}: the ones it sets itself, then the user's from after the {@code --}.
 */
final class InstanceArguments {
    /** Options the autoscaler gives every instance itself. */
    static final Set<String> SET_FOR_EACH_RUN = Set.of(
            "--state-dir",
            "--http-port",
            "--application-id",
            "--bootstrap-servers",
            "--kafka-config",
            "--partitions",
            "--topic-prefix");

    private InstanceArguments() {}

    /**
     * @param servesMetrics whether each instance must serve /metrics (read by the cpu and memory
     *     policies): it then takes 8081 or any free port and prints which
     * @param userArguments the arguments after the {@code --}
     */
    static List<String> of(
            String applicationId,
            boolean servesMetrics,
            int partitions,
            KafkaOptions kafka,
            List<String> userArguments) {
        List<String> http = servesMetrics ? List.of("--http-host", "127.0.0.1") : List.of("--http-port", "0");
        List<String> args = new ArrayList<>(List.of("--application-id", applicationId));
        args.addAll(http);
        args.addAll(
                List.of("--partitions", String.valueOf(partitions), "--bootstrap-servers", kafka.bootstrapServers()));
        if (!kafka.topicPrefix.equals(Topics.DEFAULT_PREFIX)) {
            args.addAll(List.of("--topic-prefix", kafka.topicPrefix));
        }
        if (kafka.kafkaConfig != null) {
            args.addAll(
                    List.of("--kafka-config", kafka.kafkaConfig.toAbsolutePath().toString()));
        }
        args.addAll(userArguments);
        return args;
    }

    /**
     * Refuses, as a usage error of {@code commandLine}, user arguments that set what the autoscaler
     * sets, a function file, or anything {@code run} itself would refuse in {@code all}.
     */
    static void check(List<String> userArguments, List<String> all, CommandLine commandLine) {
        for (String a : userArguments) {
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.equals("--functions")) {
                throw new ParameterException(
                        commandLine,
                        "--functions does not go with autoscale: it scales one "
                                + "application by its consumer group's lag (--application-id), and each function of a file is an "
                                + "application of its own (tributary-fn-NAME); scale a function file with 'run --functions' on more "
                                + "machines, or with KEDA per function (deploy/k8s)");
            }
            if (SET_FOR_EACH_RUN.contains(name)) {
                throw new ParameterException(
                        commandLine,
                        name + " is set by autoscale for every instance (its state goes "
                                + "under --work-dir; it serves no HTTP port); give the Kafka connection, --topic-prefix, --application-id and --partitions "
                                + "to autoscale itself, before the --");
            }
        }
        try {
            new CommandLine(new RunCommand())
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .parseArgs(all.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new ParameterException(
                    commandLine, "the arguments after -- are not valid for 'tributary run': " + e.getMessage());
        }
    }
}
