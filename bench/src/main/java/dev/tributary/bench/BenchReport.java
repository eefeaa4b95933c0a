package dev.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What a bench run measured, as JSON here; the CLI renders it as tables. */
public final class BenchReport {
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The machine the bench ran on. */
    public record Machine(int cores, String java, String os, long maxHeapBytes, double loadAverageAtStart) {
        static Machine current(double loadAverage) {
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    Runtime.getRuntime().maxMemory(),
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
    private final List<Freshness.Result> freshness;
    private final List<ColdStartPhase.Result> coldStart;
    private final double wallSeconds;

    BenchReport(
            Machine machine,
            BenchSettings settings,
            String broker,
            String model,
            Preloader.Result preload,
            List<ThroughputPhase.Result> throughput,
            List<ScaleOutPhase.Result> scaleOut,
            List<LatencyPhase.Result> latency,
            List<Freshness.Result> freshness,
            List<ColdStartPhase.Result> coldStart,
            double wallSeconds) {
        this.machine = machine;
        this.settings = settings;
        this.broker = broker;
        this.model = model;
        this.preload = preload;
        this.throughput = List.copyOf(throughput);
        this.scaleOut = List.copyOf(scaleOut);
        this.latency = List.copyOf(latency);
        this.freshness = List.copyOf(freshness);
        this.coldStart = List.copyOf(coldStart);
        this.wallSeconds = wallSeconds;
    }

    public Machine machine() {
        return machine;
    }

    public BenchSettings settings() {
        return settings;
    }

    public String broker() {
        return broker;
    }

    public String model() {
        return model;
    }

    public Preloader.Result preload() {
        return preload;
    }

    public List<ThroughputPhase.Result> throughput() {
        return throughput;
    }

    public List<ScaleOutPhase.Result> scaleOut() {
        return scaleOut;
    }

    public List<LatencyPhase.Result> latency() {
        return latency;
    }

    public List<Freshness.Result> freshness() {
        return freshness;
    }

    public List<ColdStartPhase.Result> coldStart() {
        return coldStart;
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    /** events/s of {@code topology} under {@code guarantee} over that of the pass-through; null if either is missing. */
    public Double ratio(String guarantee, String topology) {
        return ratio(guarantee, topology, BenchRun.PASS_THROUGH);
    }

    /** events/s of {@code topology} under {@code guarantee} over that of the floor (decode + a prediction-sized write). */
    public Double floorRatio(String guarantee, String topology) {
        return ratio(guarantee, topology, BenchRun.FLOOR);
    }

    /** events/s of the score function with a shadow challenger over that of the score function alone. */
    public Double shadowRatio(String guarantee) {
        return ratio(guarantee, BenchRun.SHADOW, BenchRun.SCORE);
    }

    private Double ratio(String guarantee, String topology, String baseTopology) {
        Double base = eventsPerSecond(guarantee, baseTopology);
        Double other = eventsPerSecond(guarantee, topology);
        return base == null || other == null || base == 0 ? null : other / base;
    }

    /** events/s of the scale-out run {@code r} over that of 1 instance under the same guarantee; null if missing. */
    public Double scaleOutRatio(ScaleOutPhase.Result r) {
        return scaleOut.stream()
                .filter(o -> o.guarantee().equals(r.guarantee()) && o.instances() == 1)
                .map(ScaleOutPhase.Result::eventsPerSecond)
                .filter(base -> base > 0)
                .findFirst()
                .map(base -> r.eventsPerSecond() / base)
                .orElse(null);
    }

    /** events/s of train + score with labels as feedback over train + score with labels on the events; null if missing. */
    public Double feedbackRatio(String guarantee) {
        Double inline = eventsPerSecond(guarantee, BenchRun.TRAIN_SCORE);
        Double later = eventsPerSecond(guarantee, FeedbackPhase.TOPOLOGY);
        return inline == null || later == null || inline == 0 ? null : later / inline;
    }

    private Double eventsPerSecond(String guarantee, String topology) {
        return throughput.stream()
                .filter(r -> r.guarantee().equals(guarantee) && r.topology().equals(topology))
                .map(ThroughputPhase.Result::eventsPerSecond)
                .findFirst()
                .orElse(null);
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
            putRatio(o, "scoreToFloor", floorRatio(guarantee, BenchRun.SCORE));
            putRatio(o, "shadowToScore", shadowRatio(guarantee));
            putRatio(o, "trainAndScoreToPassThrough", ratio(guarantee, BenchRun.TRAIN_SCORE));
            putRatio(o, "trainAndScoreToFloor", floorRatio(guarantee, BenchRun.TRAIN_SCORE));
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
                w.put(
                        "maxMs",
                        r.swapMs().stream().mapToLong(Long::longValue).max().orElse(0));
            }
            ArrayNode pub = w.putArray("publishMs");
            r.publishMs().forEach(pub::add);
        }
        if (!freshness.isEmpty()) {
            ArrayNode fresh = root.putArray("freshness");
            for (Freshness.Result f : freshness) {
                ObjectNode o = fresh.addObject();
                o.put("guarantee", f.guarantee());
                o.put("phase", f.phase());
                Percentiles.Summary behind = f.examplesBehind();
                o.put("predictions", behind == null ? 0 : behind.samples());
                if (behind != null) {
                    o.put("examplesBehindP50", behind.p50());
                    o.put("examplesBehindP99", behind.p99());
                    o.put("examplesBehindMax", behind.max());
                }
                o.put("unknownVersions", f.unknownVersions());
                if (f.latency() != null) {
                    o.put("offeredRate", Math.round(f.offeredRate()));
                    o.put("trainAndScoreLatencyP50Ms", f.latency().p50());
                    o.put("trainAndScoreLatencyP99Ms", f.latency().p99());
                }
            }
        }
        if (!coldStart.isEmpty()) {
            ArrayNode cold = root.putArray("coldStart");
            for (ColdStartPhase.Result r : coldStart) {
                ObjectNode o = cold.addObject();
                o.put("variant", r.variant());
                o.put("guarantee", r.guarantee());
                Percentiles.Summary total = r.total();
                if (total != null) {
                    o.put("trials", total.samples());
                    o.put("p50Ms", total.p50());
                    o.put("p99Ms", total.p99());
                    o.put("maxMs", total.max());
                }
                ArrayNode each = o.putArray("totalMs");
                r.trials().forEach(trial -> each.add(trial.totalMs()));
                ObjectNode parts = o.putObject("medianPartsMs");
                List<Long> medians = r.medianParts();
                for (int k = 0; k < ColdStartPhase.PARTS.size(); k++) {
                    if (medians.get(k) == null) {
                        parts.putNull(ColdStartPhase.PARTS.get(k));
                    } else {
                        parts.put(ColdStartPhase.PARTS.get(k), medians.get(k));
                    }
                }
                Percentiles.Summary running = r.allTasksRunning();
                if (running != null) {
                    o.put("allTasksRunningP50Ms", running.p50());
                }
                Percentiles.Summary version = r.version();
                if (version != null) {
                    o.put("versionCommandP50Ms", version.p50());
                }
            }
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

    public static long median(List<Long> values) {
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
