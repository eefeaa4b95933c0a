package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.model.ModelSpecs;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.Http;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.serde.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * 50 models of 10,000 versions each: what the browser loads to open the models page and a model's
 * page stays small (the curve down-sampled, the version list cut), and the time it takes is printed.
 */
class LargeRegistryTest {
    static final int MODELS = 50;
    static final int VERSIONS = 10_000;

    static Map<String, RegistryView.ModelState> registry() {
        Map<String, RegistryView.ModelState> states = new TreeMap<>();
        for (int m = 0; m < MODELS; m++) {
            String name = String.format(Locale.ROOT, "model-%02d", m);
            ModelSpec spec = TestRegistry.spec(name);
            ModelVersion v0 = ModelSpecs.initialVersion(spec, 1_000);
            TreeMap<Long, ModelVersion> versions = new TreeMap<>();
            for (int i = 0; i < VERSIONS; i++) {
                ModelVersion v = new ModelVersion();
                for (int f = 0; f < ModelVersion.getClassSchema().getFields().size(); f++) {
                    v.put(f, v0.get(f));
                }
                v.setVersion(i);
                v.setExamplesSeen(100L * i);
                v.setParentVersion(i == 0 ? null : (long) i - 1);
                v.setMetrics(
                        i == 0
                                ? Map.of()
                                : Map.of(
                                        "accuracy",
                                        0.9 - 0.4 / Math.sqrt(i) + 0.01 * Math.sin(i / 50.0),
                                        "window.accuracy",
                                        0.9 - 0.3 / Math.sqrt(i),
                                        "count",
                                        100.0 * i));
                v.setCreatedAt(1_000L + i);
                v.setWeights(Vectors.toBytes(new double[] {0.1 * m, -0.2, 0.3}));
                versions.put((long) i, v);
            }
            Map<String, Long> aliases = Map.of(RegistryView.CHAMPION, (long) VERSIONS - 10);
            states.put(
                    name,
                    new RegistryView.ModelState(name, spec, versions, aliases, versions.get((long) VERSIONS - 10)));
        }
        return states;
    }

    @Test
    void fiftyModelsOfTenThousandVersionsOpenWithAFewHundredPoints() throws Exception {
        Map<String, RegistryView.ModelState> states = registry();
        ModelsJson.Models models = new ModelsJson.Models() {
            @Override
            public SortedSet<String> models() {
                return new TreeSet<>(states.keySet());
            }

            @Override
            public RegistryView.ModelState stateOrNull(String model) {
                return states.get(model);
            }
        };
        UsageLog usage = new UsageLog(TestRegistry.RENDERERS);
        DeadLetterLog deadLetters = new DeadLetterLog(TestRegistry.RENDERERS);
        try (DashboardServer server = new DashboardServer(
                "127.0.0.1",
                0,
                new DashboardData(
                        ModelsJson.object(),
                        new ModelsJson(models, TestRegistry.RENDERERS, m -> usage.eventsPerSecond(m, 0)),
                        deadLetters,
                        usage,
                        new InstanceMetrics(List.of()),
                        new GroupLag(null),
                        null,
                        new ChangeRequests(null),
                        new EventStream(() -> "{}")),
                System::currentTimeMillis)) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpClient http = HttpClient.newHttpClient();
            List<String> modelsPage = List.of("/", "/style.css", "/charts.js", "/app.js", "/api/config", "/api/models");
            List<String> modelPage = List.of("/api/models/model-07");
            for (int round = 1; round <= 3; round++) {
                long t0 = System.nanoTime();
                long bytes = 0;
                for (String path : modelsPage) {
                    bytes += get(http, base + path).length();
                }
                long t1 = System.nanoTime();
                String model = get(http, base + modelPage.get(0));
                long t2 = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "%d x %,d versions, round %d: models page %.1f ms (%,d bytes), a model's page %.1f ms "
                                + "(%,d bytes)%n",
                        MODELS,
                        VERSIONS,
                        round,
                        (t1 - t0) / 1e6,
                        bytes,
                        (t2 - t1) / 1e6,
                        model.length());
            }
            ModelsJson json = new ModelsJson(models, TestRegistry.RENDERERS, m -> 0);
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int round = 1; round <= 3; round++) {
                long c0 = threads.getCurrentThreadCpuTime();
                int listBytes = Http.JSON.writeValueAsBytes(json.list(0)).length;
                long c1 = threads.getCurrentThreadCpuTime();
                int modelBytes = Http.JSON.writeValueAsBytes(json.model("model-07", 0)).length;
                long c2 = threads.getCurrentThreadCpuTime();
                System.out.printf(
                        Locale.ROOT,
                        "CPU time to build and write the JSON, round %d: models %.1f ms (%,d bytes), a model %.1f ms "
                                + "(%,d bytes)%n",
                        round,
                        (c1 - c0) / 1e6,
                        listBytes,
                        (c2 - c1) / 1e6,
                        modelBytes);
            }
            hold(base);
            JsonNode list = Http.JSON.readTree(get(http, base + "/api/models"));
            assertThat(list.get("models")).hasSize(MODELS);
            JsonNode model = Http.JSON.readTree(get(http, base + "/api/models/model-07"));
            assertThat(model.get("versionCount").asInt()).isEqualTo(VERSIONS);
            assertThat(model.get("curve").get("points").size())
                    .isBetween(ModelsJson.MAX_POINTS, ModelsJson.MAX_POINTS + 1);
            assertThat(model.get("versions").size()).isEqualTo(ModelsJson.LISTED_VERSIONS);
            assertThat(model.toString().length()).isLessThan(200_000);
        }
    }

    /** With -Ddashboard.scale.holdSeconds=N the server stays up N seconds, to time the page in a browser. */
    private static void hold(String base) throws InterruptedException {
        long seconds = Long.getLong("dashboard.scale.holdSeconds", 0);
        if (seconds > 0) {
            System.out.println(
                    "serving " + MODELS + " x " + VERSIONS + " versions on " + base + "/ for " + seconds + " s");
            Thread.sleep(seconds * 1000);
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }
}
