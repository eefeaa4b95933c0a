package dev.tributary.autoscale;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tributary run} instances, as child processes of this one. Each has a slot (the lowest
 * free number), its own state directory {@code WORK/instance-N} (kept, so a later instance in that
 * slot starts from it) and its output in {@code WORK/logs}. Instances are stopped with SIGTERM, which
 * closes Kafka Streams gracefully (the work done is committed, the group is left at once), and only
 * killed if that takes longer than the grace period.
 */
public final class Supervisor implements AutoCloseable {
    /** A running instance, started at {@code started}. */
    public record Child(int slot, Process process, Path out, Path err, Instant started) {
        public String describe() {
            return "instance " + slot + " (pid " + process.pid() + ")";
        }
    }

    private final List<String> launcher;
    private final List<String> runArgs;
    private final Path work;
    private final Duration grace;
    /** Oldest first. */
    private final Deque<Child> children = new LinkedList<>();

    private int launches;

    /**
     * @param launcher the command that starts the CLI (java, its options, the main class)
     * @param runArgs the arguments every instance gets after {@code run --state-dir DIR}
     */
    public Supervisor(List<String> launcher, List<String> runArgs, Path work, Duration grace) throws IOException {
        this.launcher = List.copyOf(launcher);
        this.runArgs = List.copyOf(runArgs);
        this.work = work.toAbsolutePath();
        this.grace = grace;
        Files.createDirectories(this.work.resolve("logs"));
    }

    /**
     * This JVM's java executable and class path, with {@code heap}, and those of its options an instance
     * should share ({@link #inherited}): an instance starts and collects its garbage as a {@code tributary run}.
     */
    public static List<String> sameJava(String heap, String mainClass) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return List.copyOf(command);
    }

    /**
     * Of a JVM's options, those its instances get too: the class-data-sharing archive it maps (the launcher's,
     * written for the same jar), its garbage collector and its pause goal (the launcher's 10 ms).
     */
    static List<String> inherited(List<String> jvmOptions) {
        return jvmOptions.stream()
                .filter(a -> a.startsWith("-XX:SharedArchiveFile=")
                        || a.startsWith("-XX:MaxGCPauseMillis=")
                        || a.matches("-XX:\\+Use[A-Za-z0-9]*GC"))
                .toList();
    }

    public synchronized int size() {
        return children.size();
    }

    public synchronized List<Child> children() {
        return List.copyOf(children);
    }

    /** Starts one more instance. */
    public synchronized Child add() throws IOException {
        int slot = 1;
        while (slotTaken(slot)) {
            slot++;
        }
        String name = String.format(Locale.ROOT, "instance-%d-%03d", slot, ++launches);
        Path out = work.resolve("logs").resolve(name + ".out");
        Path err = work.resolve("logs").resolve(name + ".err");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(
                List.of("run", "--state-dir", work.resolve("instance-" + slot).toString()));
        command.addAll(runArgs);
        Process process = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        Child child = new Child(slot, process, out, err, Instant.now());
        children.addLast(child);
        return child;
    }

    /** Stops the newest instance gracefully (killed after the grace period); its exit code. */
    public int removeNewest() throws InterruptedException {
        Child newest;
        synchronized (this) {
            newest = children.pollLast();
        }
        return newest == null ? 0 : stop(List.of(newest)).get(0);
    }

    /** The instances that exited on their own since the last call, no longer counted. */
    public synchronized List<Child> takeExited() {
        List<Child> exited =
                children.stream().filter(c -> !c.process().isAlive()).toList();
        children.removeAll(exited);
        return exited;
    }

    /** Stops every instance gracefully, all at once. */
    @Override
    public void close() throws InterruptedException {
        List<Child> all;
        synchronized (this) {
            all = new ArrayList<>(children);
            children.clear();
        }
        stop(all);
    }

    private List<Integer> stop(List<Child> list) throws InterruptedException {
        list.forEach(c -> c.process().destroy());
        long deadline = System.nanoTime() + grace.toNanos();
        List<Integer> codes = new ArrayList<>();
        for (Child c : list) {
            if (!c.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                c.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            codes.add(c.process().isAlive() ? -1 : c.process().exitValue());
        }
        return codes;
    }

    private boolean slotTaken(int slot) {
        return children.stream().anyMatch(c -> c.slot() == slot);
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
