package dev.tributary.autoscale;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The poll loop: every interval, replace any instance that died, read the lag (and the instances'
 * CPU and memory when a policy needs them), apply the policies' choice (one instance up or down at
 * most) and add a row to the timeline; one line on {@code out} per change, replacement and failed
 * reading.
 */
public final class Autoscaler {
    /** The exit code of a command line the CLI refused: starting the same one again would not help. */
    static final int USAGE_ERROR = 2;

    private final Policies policies;
    private final LagProbe probe;
    private final MetricsProbe metrics;
    private final Supervisor supervisor;
    private final Duration pollInterval;
    private final PrintWriter out;
    private final Timeline timeline;

    /** {@code metrics} may be null when no policy needs it, {@code timeline} when none is written. */
    public Autoscaler(
            Policies policies,
            LagProbe probe,
            MetricsProbe metrics,
            Supervisor supervisor,
            Duration pollInterval,
            PrintWriter out,
            Timeline timeline) {
        this.policies = policies;
        this.probe = probe;
        this.metrics = metrics;
        this.supervisor = supervisor;
        this.pollInterval = pollInterval;
        this.out = out;
        this.timeline = timeline;
    }

    /** Polls until {@code stop} is counted down; the instances are left running (close the supervisor). */
    public void run(CountDownLatch stop) throws InterruptedException, IOException {
        long start = System.nanoTime();
        while (stop.getCount() > 0) {
            replaceExited();
            Policies.Reading reading = read();
            Policies.Choice choice = null;
            if (reading.lag() != null || !policies.usesLag()) {
                choice = policies.decide(Instant.now(), reading, supervisor.size());
                apply(choice);
            }
            if (timeline != null) {
                timeline.record(Duration.ofNanos(System.nanoTime() - start), supervisor.size(), reading, choice);
            }
            stop.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The lag (null if the cluster did not answer: the lag policy then holds) and, when needed, CPU and memory. */
    private Policies.Reading read() throws InterruptedException {
        Long lag = null;
        int partitions = 0;
        try {
            LagProbe.Reading reading = probe.read();
            lag = reading.lag();
            partitions = reading.partitions();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            say("lag unknown (" + cause + "); "
                    + (policies.usesLag()
                            ? "holding " + supervisor.size() + " instances"
                            : "the partitions do not cap the instances this time"));
        }
        MetricsProbe.Sample sample = metrics == null
                ? new MetricsProbe.Sample(null, null, 0)
                : metrics.read(supervisor.children(), Instant.now());
        return new Policies.Reading(lag, partitions, sample.cpu(), sample.memory());
    }

    private void apply(Policies.Choice choice) throws InterruptedException {
        if (!choice.changes()) {
            return;
        }
        say(choice.before() + " → " + choice.after() + " instances (wanted " + choice.desired() + "): "
                + choice.reason());
        if (choice.after() > choice.before()) {
            start();
        } else {
            supervisor.removeNewest();
        }
    }

    private void replaceExited() throws IOException {
        for (Supervisor.Child c : supervisor.takeExited()) {
            int code = c.process().exitValue();
            if (code == USAGE_ERROR) {
                throw new AutoscaleException(
                        "tributary run refused its arguments: " + lastLine(c) + " (exit " + code + ")");
            }
            say(c.describe() + " exited on its own with code " + code + " (log " + c.err()
                    + "); starting a replacement");
            start();
        }
    }

    private void start() {
        try {
            supervisor.add();
        } catch (IOException e) {
            throw new AutoscaleException("cannot start an instance: " + e.getMessage(), e);
        }
    }

    private void say(String line) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + "  " + line);
        out.flush();
    }

    private static String lastLine(Supervisor.Child c) throws IOException {
        List<String> lines = Files.readAllLines(c.err(), StandardCharsets.UTF_8);
        return lines.isEmpty() ? "(nothing on stderr)" : lines.get(lines.size() - 1);
    }
}
