package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each {@code run} instance's {@code /metrics} and {@code /health} say, per function: events
 * per second in (invocations) and out (scored), errors per second (between two scrapes), score
 * duration p50/p99 (from the histogram since the instance started), health.
 */
final class InstanceMetrics {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Counter values of one function at one scrape. */
    record Counters(double invocations, double scored, double errors, long atNanos) {}

    private final List<URI> instances;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Counters> previous = new HashMap<>();
    private volatile ObjectNode latest;

    InstanceMetrics(List<URI> instances) {
        for (URI uri : instances) {
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("an instance is an http:// or https:// address, not " + uri);
            }
        }
        this.instances = List.copyOf(instances);
        this.latest = render(List.of());
    }

    ObjectNode json() {
        return latest;
    }

    /** Scrapes every instance once (called every few seconds by one thread). */
    void refresh() {
        List<ObjectNode> readings = new java.util.ArrayList<>();
        for (URI base : instances) {
            readings.add(read(base));
        }
        latest = render(readings);
    }

    private ObjectNode render(List<ObjectNode> readings) {
        ObjectNode json = ModelsJson.object();
        ArrayNode list = json.putArray("instances");
        readings.forEach(list::add);
        return json;
    }

    private ObjectNode read(URI base) {
        ObjectNode json = ModelsJson.object();
        json.put("url", base.toString());
        String metrics;
        try {
            metrics = get(base.resolve("/metrics"));
            json.put("reachable", true);
        } catch (IOException e) {
            json.put("reachable", false);
            json.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            json.put("health", "unreachable");
            json.putArray("functions");
            return json;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            json.put("reachable", false);
            return json;
        }
        json.put("health", health(base));
        ArrayNode functions = json.putArray("functions");
        functions(base.toString(), PrometheusText.parse(metrics), System.nanoTime())
                .forEach(functions::add);
        return json;
    }

    private String health(URI base) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("/health"))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "healthy" : "unhealthy";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Per function of one instance: rates since the previous scrape and score-duration quantiles. */
    List<ObjectNode> functions(String instance, List<PrometheusText.Sample> samples, long nowNanos) {
        Map<String, double[]> counters = new TreeMap<>();
        Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            String function = s.label("function");
            switch (s.name()) {
                case "tributary_invocations_total" ->
                    counters.computeIfAbsent(function, f -> new double[3])[0] += s.value();
                case "tributary_events_scored_total" ->
                    counters.computeIfAbsent(function, f -> new double[3])[1] += s.value();
                case "tributary_errors_total" -> counters.computeIfAbsent(function, f -> new double[3])[2] += s.value();
                case "tributary_score_duration_seconds_bucket" -> {
                    try {
                        double le = Double.parseDouble(s.label("le").replace("+Inf", "Infinity"));
                        buckets.computeIfAbsent(function, f -> new TreeMap<>()).merge(le, s.value(), Double::sum);
                    } catch (NumberFormatException e) {
                        // not a bucket bound
                    }
                }
                default -> {}
            }
        }
        List<ObjectNode> rows = new java.util.ArrayList<>();
        counters.forEach((function, c) -> {
            ObjectNode row = ModelsJson.object();
            row.put("function", function.isEmpty() ? "functions" : function);
            Counters now = new Counters(c[0], c[1], c[2], nowNanos);
            Counters before;
            synchronized (previous) {
                before = previous.put(instance + "\n" + function, now);
            }
            double seconds = before == null ? 0 : (now.atNanos() - before.atNanos()) / 1e9;
            ModelsJson.putNumber(
                    row,
                    "inPerSecond",
                    seconds > 0 ? Math.max(0, now.invocations() - before.invocations()) / seconds : null);
            ModelsJson.putNumber(
                    row, "outPerSecond", seconds > 0 ? Math.max(0, now.scored() - before.scored()) / seconds : null);
            ModelsJson.putNumber(
                    row, "errorsPerSecond", seconds > 0 ? Math.max(0, now.errors() - before.errors()) / seconds : null);
            row.put("invocations", now.invocations());
            TreeMap<Double, Double> b = buckets.getOrDefault(function, new TreeMap<>());
            ModelsJson.putNumber(row, "p50Ms", PrometheusText.quantile(0.5, b) * 1000);
            ModelsJson.putNumber(row, "p99Ms", PrometheusText.quantile(0.99, b) * 1000);
            rows.add(row);
        });
        return rows;
    }
}
