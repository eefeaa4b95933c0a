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
 * The poll loop: every interval, replace any instance that died, read the lag, apply the policy's
 * decision (one instance up or down at most) and add a row to the timeline; one line on
 * {@code out} per change, replacement and failed reading.
 */
public final class Autoscaler {
  /** The exit code of a command line the CLI refused: starting the same one again would not help. */
  static final int USAGE_ERROR = 2;

  private final ScalingPolicy policy;
  private final LagProbe probe;
  private final Supervisor supervisor;
  private final Duration pollInterval;
  private final PrintWriter out;
  private final Timeline timeline;

  /** {@code timeline} may be null. */
  public Autoscaler(ScalingPolicy policy, LagProbe probe, Supervisor supervisor, Duration pollInterval,
      PrintWriter out, Timeline timeline) {
    this.policy = policy;
    this.probe = probe;
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
      Long lag = null;
      try {
        LagProbe.Reading reading = probe.read();
        lag = reading.lag();
        apply(policy.decide(Instant.now(), reading.lag(), supervisor.size(), reading.partitions()), reading.lag());
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        say("lag unknown (" + cause + "); holding " + supervisor.size() + " instances");
      }
      if (timeline != null) {
        timeline.record(Duration.ofNanos(System.nanoTime() - start), supervisor.size(), lag);
      }
      stop.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void apply(ScalingPolicy.Decision decision, long lag) throws IOException, InterruptedException {
    if (!decision.changes()) {
      return;
    }
    say(decision.before() + " → " + decision.after() + " instances, lag " + lag + ": " + decision.reason());
    if (decision.after() > decision.before()) {
      start();
    } else {
      supervisor.removeNewest();
    }
  }

  private void replaceExited() throws IOException {
    for (Supervisor.Child c : supervisor.takeExited()) {
      int code = c.process().exitValue();
      if (code == USAGE_ERROR) {
        throw new AutoscaleException("tributary run refused its arguments: " + lastLine(c) + " (exit " + code + ")");
      }
      say(c.describe() + " exited on its own with code " + code + " (log " + c.err() + "); starting a replacement");
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
