package dev.tributary.autoscale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU and memory utilisation of the instances, as the HPA's metrics pipeline reads them, from each
 * instance's {@code /metrics}: {@value #CPU} (the process's CPU over the cores it may use) and
 * {@value #HEAP} (heap used over the maximum heap), averaged over the instances sampled. An instance
 * is left out until it has served its metrics for {@code warmUp} (JVM start, class loading, JIT and
 * restoring state take CPU that says nothing about the load), as the HPA leaves out pods that are
 * starting; so is one that does not answer. Every instance is scraped at every reading all the same,
 * since the process CPU it reports is the share used since the previous scrape.
 */
public final class MetricsProbe {
    public static final String CPU = "process_cpu_usage";
    public static final String HEAP = "jvm_heap_usage";
    /** What {@code tributary run} prints on standard output once its functions run. */
    static final Pattern PORT = Pattern.compile("/metrics /health /ready on port (\\d+)");

    /** Averages over the instances sampled; null when none was. */
    public record Sample(Double cpu, Double memory, int sampled) {}

    private final Duration warmUp;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<Long, Integer> ports = new HashMap<>();
    /** When each instance (by pid) first answered. */
    private final Map<Long, Instant> serving = new HashMap<>();

    public MetricsProbe(Duration warmUp, Duration timeout) {
        this.warmUp = warmUp;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Sample read(List<Supervisor.Child> children, Instant now) throws InterruptedException {
        double cpu = 0;
        double memory = 0;
        int sampled = 0;
        List<Long> alive = children.stream().map(c -> c.process().pid()).toList();
        ports.keySet().retainAll(alive);
        serving.keySet().retainAll(alive);
        for (Supervisor.Child c : children) {
            Integer port = ports.computeIfAbsent(c.process().pid(), pid -> port(c.out()));
            String text = port == null ? null : scrape(port);
            if (text == null) {
                continue;
            }
            Instant since = serving.computeIfAbsent(c.process().pid(), pid -> now);
            if (Duration.between(since, now).compareTo(warmUp) < 0) {
                continue;
            }
            Double cpuValue = value(text, CPU);
            Double heapValue = value(text, HEAP);
            if (cpuValue != null && heapValue != null && cpuValue >= 0 && heapValue >= 0) {
                cpu += cpuValue;
                memory += heapValue;
                sampled++;
            }
        }
        return sampled == 0 ? new Sample(null, null, 0) : new Sample(cpu / sampled, memory / sampled, sampled);
    }

    private String scrape(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(timeout)
                .GET()
                .build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The port an instance printed on {@code out}, or null before it has. */
    static Integer port(Path out) {
        try {
            Matcher m = PORT.matcher(Files.readString(out, StandardCharsets.UTF_8));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The first sample of {@code metric} in Prometheus text, or null. */
    static Double value(String prometheusText, String metric) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                int labelsEnd = line.lastIndexOf('}');
                String[] fields = line.substring(labelsEnd < 0 ? metric.length() : labelsEnd + 1)
                        .trim()
                        .split(" ");
                try {
                    return Double.valueOf(fields[0]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
