package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tributary.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The CLI as separate OS processes ({@code java -jar tributary.jar ...}), for the tests that drive
 * it the way a user does: a private copy of the jar under a work directory, each process's stdout
 * and stderr kept under {@code WORK/logs}, and every process still running ended at JVM exit.
 */
final class CliProcesses {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** JVM options of the commands that run to their end: start fast, stay small. */
    static final List<String> SHORT_LIVED = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** JVM options of the long-running commands (broker, run). */
    static final List<String> LONG_LIVED = List.of("-Xmx512m");

    final Path work;
    final Path logs;
    final Path jar;
    /** Every process started and not yet seen to its end. */
    final List<Process> processes = new CopyOnWriteArrayList<>();

    private final AtomicInteger sequence = new AtomicInteger();

    /** Empties {@code work}, copies the CLI jar into it, and ends every process left at JVM exit. */
    CliProcesses(Path work) throws Exception {
        this.work = work.toAbsolutePath();
        this.logs = this.work.resolve("logs");
        deleteRecursively(this.work);
        Files.createDirectories(logs);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        this.jar = copyOfTheCliJar(this.work);
    }

    /** What a finished command did. */
    record Result(String name, int code, String out, String err) {
        String describe() {
            return name + " exited " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A long-running command (broker, run) and its output files. */
    record Background(String name, Process process, Path out, Path err) {
        void awaitOutput(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!read(out).contains(text)) {
                requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            name + " did not print '" + text + "' within " + timeout + "; stderr:\n" + tail(err));
                }
                Thread.sleep(200);
            }
        }

        void requireAlive() {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; stderr:\n" + tail(err));
            }
        }
    }

    /** Runs CLI commands side by side, each to its end (at most {@link #COMMAND_TIMEOUT}); their results in order. */
    List<Result> cliAll(List<String[]> commands) throws IOException, InterruptedException {
        List<Background> started = new ArrayList<>();
        for (String[] args : commands) {
            String name = args[0] + (args.length > 1 && !args[1].startsWith("-") ? "-" + args[1] : "");
            started.add(start(name, SHORT_LIVED, args));
        }
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            Background b = started.get(i);
            String line = "tributary " + String.join(" ", commands.get(i));
            if (!b.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                stop(started.stream().map(Background::process).toList(), Duration.ZERO);
                fail("%s did not finish within %s; stderr:%n%s", line, COMMAND_TIMEOUT, tail(b.err()));
            }
            processes.remove(b.process());
            results.add(new Result(line, b.process().exitValue(), read(b.out()), read(b.err())));
        }
        return results;
    }

    /** Starts a long-running command (broker, run). */
    Background background(String name, String... args) throws IOException {
        return start(name, LONG_LIVED, args);
    }

    /** Starts {@code java JVM-OPTIONS -jar tributary.jar ARGS}, its output going to files under {@link #logs}. */
    Background start(String name, List<String> jvmOptions, String... args) throws IOException {
        String file = String.format(Locale.ROOT, "%02d-%s", sequence.incrementAndGet(), name);
        Path out = logs.resolve(file + ".out");
        Path err = logs.resolve(file + ".err");
        // No Avro trust flag: the CLI's main installs it (AvroTrust), as for any user.
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        processes.add(p);
        return new Background(name, p, out, err);
    }

    /** Ends the processes: a polite stop (shutdown hooks close brokers and instances), then a forced one. */
    static void stop(List<Process> list, Duration grace) throws InterruptedException {
        list.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : list) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The end of a test: its clients closed, then every process still running stopped, then the broker. */
    static void tearDown(CliProcesses processes, Duration grace, EmbeddedKafka kafka, AutoCloseable... clients)
            throws Exception {
        for (AutoCloseable client : clients) {
            if (client != null) {
                client.close();
            }
        }
        if (processes != null) {
            stop(new ArrayList<>(processes.processes), grace);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * A private copy of the CLI jar, taken whole: a build running elsewhere may rewrite
     * cli/target/tributary.jar in place while a test runs (./tributary runs from a copy too).
     */
    static Path copyOfTheCliJar(Path work) throws Exception {
        String property = System.getProperty("tributary.jar");
        assertThat(property)
                .as("system property tributary.jar (set by integration-tests/pom.xml)")
                .isNotBlank();
        Path source = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            fail(
                    "The CLI jar %s is missing: build it first (mvn -B -pl cli -am package -DskipTests, or mvn -B verify)",
                    source);
        }
        Path copy = work.resolve("tributary.jar");
        for (int attempt = 1; ; attempt++) {
            long size = Files.size(source);
            var modified = Files.getLastModifiedTime(source);
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            boolean unchanged = Files.size(source) == size
                    && Files.getLastModifiedTime(source).equals(modified);
            if (unchanged && Files.size(copy) == size && completeJar(copy)) {
                return copy;
            }
            if (attempt == 10) {
                fail("The CLI jar %s kept changing or is not a complete jar with a Main-Class", source);
            }
            Thread.sleep(3000);
        }
    }

    static boolean completeJar(Path jarFile) {
        try (JarFile j = new JarFile(jarFile.toFile())) {
            return j.getManifest() != null
                    && j.getManifest().getMainAttributes().getValue("Main-Class") != null
                    && j.getEntry("dev/tributary/cli/Tributary.class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until the consumer group {@code group} has exactly {@code members} members, each assigned
     * partitions of {@code topic}; fails early if one of {@code instances} exits.
     */
    static void awaitMembersWithPartitions(
            String bootstrap, String group, String topic, int members, List<Background> instances, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing yet";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            while (System.nanoTime() < deadline) {
                try {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                            .describedGroups()
                            .get(group)
                            .get(10, TimeUnit.SECONDS);
                    List<Set<TopicPartition>> assigned = new ArrayList<>();
                    for (MemberDescription m : description.members()) {
                        Set<TopicPartition> mine = new HashSet<>(m.assignment().topicPartitions());
                        mine.removeIf(tp -> !tp.topic().equals(topic));
                        assigned.add(mine);
                    }
                    last = assigned.toString();
                    if (assigned.size() == members && assigned.stream().noneMatch(Set::isEmpty)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e.getCause().toString();
                }
                for (Background instance : instances) {
                    instance.requireAlive();
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError(
                "the " + members + " instances did not share " + topic + " within " + timeout + ": " + last);
    }

    static void awaitAcceptsConnections(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the broker does not accept connections on 127.0.0.1:" + port);
                }
                Thread.sleep(200);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file) {
        List<String> lines = read(file).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
