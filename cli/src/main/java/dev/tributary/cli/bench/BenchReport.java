package dev.tributary.cli.bench;

import dev.tributary.cli.Table;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What a bench run measured, as a table or as JSON. */
public final class BenchReport {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** The machine the bench ran on. */
  record Machine(int cores, String java, String os, long maxHeapBytes, double loadAverageAtStart) {
    static Machine current(double loadAverage) {
      return new Machine(Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
          System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().maxMemory(),
          loadAverage);
    }
  }

  private final Machine machine;
  private final BenchSettings settings;
  private final String broker;
  private final String model;
  private final Preloader.Result preload;
  private final List<ThroughputPhase.Result> throughput;
  private final List<ScaleOutPhase.Result> scaleOut;
  private final List<LatencyPhase.Result> latency;
  private final double wallSeconds;

  BenchReport(Machine machine, BenchSettings settings, String broker, String model, Preloader.Result preload,
      List<ThroughputPhase.Result> throughput, List<ScaleOutPhase.Result> scaleOut, List<LatencyPhase.Result> latency,
      double wallSeconds) {
    this.machine = machine;
    this.settings = settings;
    this.broker = broker;
    this.model = model;
    this.preload = preload;
    this.throughput = List.copyOf(throughput);
    this.scaleOut = List.copyOf(scaleOut);
    this.latency = List.copyOf(latency);
    this.wallSeconds = wallSeconds;
  }

  /** events/s of {@code topology} under {@code guarantee} over that of the pass-through; null if either is missing. */
  Double ratio(String guarantee, String topology) {
    Double base = eventsPerSecond(guarantee, BenchRun.PASS_THROUGH);
    Double other = eventsPerSecond(guarantee, topology);
    return base == null || other == null || base == 0 ? null : other / base;
  }

  /** events/s of the scale-out run {@code r} over that of 1 instance under the same guarantee; null if missing. */
  Double scaleOutRatio(ScaleOutPhase.Result r) {
    return scaleOut.stream().filter(o -> o.guarantee().equals(r.guarantee()) && o.instances() == 1)
        .map(ScaleOutPhase.Result::eventsPerSecond).filter(base -> base > 0).findFirst()
        .map(base -> r.eventsPerSecond() / base).orElse(null);
  }

  /** events/s of train + score with labels as feedback over train + score with labels on the events; null if missing. */
  Double feedbackRatio(String guarantee) {
    Double inline = eventsPerSecond(guarantee, BenchRun.TRAIN_SCORE);
    Double later = eventsPerSecond(guarantee, FeedbackPhase.TOPOLOGY);
    return inline == null || later == null || inline == 0 ? null : later / inline;
  }

  private Double eventsPerSecond(String guarantee, String topology) {
    return throughput.stream().filter(r -> r.guarantee().equals(guarantee) && r.topology().equals(topology))
        .map(ThroughputPhase.Result::eventsPerSecond).findFirst().orElse(null);
  }

  public ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores());
    m.put("java", machine.java());
    m.put("os", machine.os());
    m.put("maxHeapBytes", machine.maxHeapBytes());
    m.put("loadAverageAtStart", round(machine.loadAverageAtStart(), 2));

    ObjectNode s = root.putObject("settings");
    s.put("events", settings.events());
    s.put("features", settings.features());
    s.put("partitions", settings.partitions());
    s.put("streamThreads", settings.threads());
    s.put("commitIntervalMs", settings.commitIntervalMs());
    ArrayNode g = s.putArray("guarantees");
    settings.guarantees().forEach(g::add);
    s.put("model", model);
    s.put("broker", broker);
    ObjectNode overrides = s.putObject("streamsOverrides");
    settings.streamsOverrides().forEach(overrides::put);

    if (preload != null) {
      ObjectNode p = root.putObject("preload");
      p.put("events", preload.events());
      p.put("bytes", preload.bytes());
      p.put("seconds", round(preload.seconds(), 3));
      p.put("eventsPerSecond", Math.round(preload.eventsPerSecond()));
    }

    ArrayNode t = root.putArray("throughput");
    for (ThroughputPhase.Result r : throughput) {
      ObjectNode o = t.addObject();
      o.put("guarantee", r.guarantee());
      o.put("topology", r.topology());
      o.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
      o.put("events", r.events());
      o.put("seconds", round(r.seconds(), 3));
      o.put("startupSeconds", round(r.startupSeconds(), 3));
      o.put("complete", r.complete());
    }

    ObjectNode ratios = root.putObject("ratios");
    for (String guarantee : settings.guarantees()) {
      ObjectNode o = ratios.putObject(guarantee);
      putRatio(o, "scoreToPassThrough", ratio(guarantee, BenchRun.SCORE));
      putRatio(o, "trainAndScoreToPassThrough", ratio(guarantee, BenchRun.TRAIN_SCORE));
      putRatio(o, "feedbackToInlineLabels", feedbackRatio(guarantee));
    }

    if (!scaleOut.isEmpty()) {
      ObjectNode so = root.putObject("scaleOut");
      so.put("cores", machine.cores());
      so.put("instances", settings.instances());
      ArrayNode runs = so.putArray("runs");
      for (ScaleOutPhase.Result r : scaleOut) {
        ObjectNode o = runs.addObject();
        o.put("guarantee", r.guarantee());
        o.put("instances", r.instances());
        o.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
        o.put("events", r.events());
        o.put("seconds", round(r.seconds(), 3));
        o.put("complete", r.complete());
        putRatio(o, "toOneInstance", scaleOutRatio(r));
      }
    }

    ArrayNode l = root.putArray("latency");
    ArrayNode swaps = root.putArray("modelSwap");
    for (LatencyPhase.Result r : latency) {
      ObjectNode o = l.addObject();
      o.put("guarantee", r.guarantee());
      o.put("topology", BenchRun.SCORE);
      o.put("offeredRate", Math.round(r.offeredRate()));
      o.put("achievedRate", Math.round(r.achievedRate()));
      Percentiles.Summary p = r.latency();
      o.put("samples", p == null ? 0 : p.samples());
      if (p != null) {
        o.put("p50Ms", p.p50());
        o.put("p99Ms", p.p99());
        o.put("p999Ms", p.p999());
        o.put("minMs", p.min());
        o.put("maxMs", p.max());
        o.put("meanMs", round(p.mean(), 2));
      }
      o.put("sent", r.sent());
      o.put("missing", r.missing());

      ObjectNode w = swaps.addObject();
      w.put("guarantee", r.guarantee());
      ArrayNode ms = w.putArray("swapMs");
      r.swapMs().forEach(ms::add);
      if (!r.swapMs().isEmpty()) {
        w.put("medianMs", median(r.swapMs()));
        w.put("maxMs", r.swapMs().stream().mapToLong(Long::longValue).max().orElse(0));
      }
      ArrayNode pub = w.putArray("publishMs");
      r.publishMs().forEach(pub::add);
    }
    root.put("wallSeconds", round(wallSeconds, 1));
    return root;
  }

  public String jsonText() {
    try {
      return JSON.writeValueAsString(json());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  public List<String> table() {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "tributary bench: %,d events x %d features, %d partitions, %d stream thread%s, "
            + "commit.interval.ms %d; %d cores (load %.2f at start); %s", settings.events(), settings.features(),
        settings.partitions(), settings.threads(), settings.threads() == 1 ? "" : "s", settings.commitIntervalMs(),
        machine.cores(), machine.loadAverageAtStart(), broker));
    out.add("model: " + model);
    if (!settings.streamsOverrides().isEmpty()) {
      out.add("streams overrides: " + settings.streamsOverrides().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
    }
    if (preload != null) {
      out.add(String.format(Locale.ROOT, "preload: %,d events, %,d MB in %.1f s (%,.0f events/s)", preload.events(),
          preload.bytes() / 1_000_000, preload.seconds(), preload.eventsPerSecond()));
    }
    out.add("");
    out.add("Throughput: input events / time from the first task assignment until the committed offsets reach the end offsets");
    Table t = new Table("guarantee", "topology", "events/s", "seconds", "startup s", "vs pass-through");
    for (ThroughputPhase.Result r : throughput) {
      Double ratio = ratio(r.guarantee(), r.topology());
      t.row(r.guarantee(), r.topology() + (r.complete() ? "" : " (partial)"),
          String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()), String.format(Locale.ROOT, "%.2f", r.seconds()),
          String.format(Locale.ROOT, "%.2f", r.startupSeconds()),
          ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
    }
    out.addAll(t.lines());
    for (String guarantee : settings.guarantees()) {
      Double later = feedbackRatio(guarantee);
      if (later != null) {
        out.add(String.format(Locale.ROOT, "%s: labels as feedback (%d ms later) / labels on the events (train+score) = %.2f",
            guarantee, FeedbackPhase.DELAY_MS, later));
      }
    }
    if (!scaleOut.isEmpty()) {
      out.add("");
      out.add(String.format(Locale.ROOT, "Scale-out: train+score by 'tributary run' processes (1 stream thread each), "
          + "events committed after the group is stable / time to the end. The instances share this machine's %d "
          + "cores with the bench's own process (broker: %s): the ratio is bounded by the cores", machine.cores(),
          broker));
      Table so = new Table("guarantee", "instances", "events/s", "seconds", "vs 1 instance");
      for (ScaleOutPhase.Result r : scaleOut) {
        Double ratio = scaleOutRatio(r);
        so.row(r.guarantee(), r.instances() + (r.complete() ? "" : " (partial)"),
            String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()), String.format(Locale.ROOT, "%.2f", r.seconds()),
            ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
      }
      out.addAll(so.lines());
    }
    if (!latency.isEmpty()) {
      out.add("");
      out.add("Latency of the score function (ms): event timestamp at send -> prediction received by a read_committed consumer");
      Table l = new Table("guarantee", "offered/s", "achieved/s", "samples", "p50", "p99", "p99.9", "max",
          "missing");
      for (LatencyPhase.Result r : latency) {
        Percentiles.Summary p = r.latency();
        l.row(r.guarantee(), String.format(Locale.ROOT, "%,.0f", r.offeredRate()),
            String.format(Locale.ROOT, "%,.0f", r.achievedRate()), p == null ? "0" : String.format(Locale.ROOT, "%,d", p.samples()),
            p == null ? "-" : p.p50(), p == null ? "-" : p.p99(), p == null ? "-" : p.p999(), p == null ? "-" : p.max(),
            r.missing());
      }
      out.addAll(l.lines());
      out.add("");
      out.add("Model swap (ms): publishVersion called -> first prediction stamped with the new version received");
      Table w = new Table("guarantee", "each swap", "median", "max", "publish call");
      for (LatencyPhase.Result r : latency) {
        w.row(r.guarantee(), join(r.swapMs()), r.swapMs().isEmpty() ? "-" : median(r.swapMs()),
            r.swapMs().isEmpty() ? "-" : r.swapMs().stream().mapToLong(Long::longValue).max().orElse(0),
            join(r.publishMs()));
      }
      out.addAll(w.lines());
    }
    out.add("");
    out.add(String.format(Locale.ROOT, "wall time %.0f s", wallSeconds));
    return out;
  }

  private static String join(List<Long> values) {
    return values.isEmpty() ? "-" : values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static void putRatio(ObjectNode o, String name, Double value) {
    if (value == null) {
      o.putNull(name);
    } else {
      o.put(name, round(value, 3));
    }
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
