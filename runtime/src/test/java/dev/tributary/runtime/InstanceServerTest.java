package dev.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceServerTest {
    final AtomicReference<String> health = new AtomicReference<>();
    final AtomicReference<String> ready = new AtomicReference<>("starting");
    final HttpClient http = HttpClient.newHttpClient();
    InstanceServer server;

    @BeforeEach
    void start() throws Exception {
        server = new InstanceServer(
                "127.0.0.1",
                0,
                () -> "# TYPE tributary_invocations_total counter\ntributary_invocations_total 3.0\n",
                health::get,
                ready::get,
                () -> {});
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(response.body()).contains("tributary_invocations_total 3.0");
    }

    @Test
    void heapUsageIsUsedOverMaxWhatTheMemoryPolicyReads() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        InstanceServer.bindHeapUsage(registry);
        java.lang.management.MemoryUsage heap =
                java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double usage = registry.get("jvm.heap.usage").gauge().value();
        assertThat(usage).isStrictlyBetween(0.0, 1.0);
        assertThat(usage).isCloseTo((double) heap.getUsed() / heap.getMax(), org.assertj.core.data.Offset.offset(0.2));
        assertThat(registry.scrape()).contains("jvm_heap_usage ");
    }

    @Test
    void healthAndReadinessFollowTheirChecks() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("starting");
        ready.set(null);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        health.set("Kafka Streams is ERROR");
        assertThat(get("/health").statusCode()).isEqualTo(503);
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void theChecksReadTheStreamsState() {
        assertThat(InstanceServer.health(KafkaStreams.State.RUNNING)).isNull();
        assertThat(InstanceServer.health(KafkaStreams.State.REBALANCING)).isNull();
        assertThat(InstanceServer.health(KafkaStreams.State.ERROR)).contains("ERROR");
        assertThat(InstanceServer.health(KafkaStreams.State.NOT_RUNNING)).contains("NOT_RUNNING");
        assertThat(InstanceServer.readiness(KafkaStreams.State.REBALANCING, () -> true))
                .contains("not RUNNING");
        assertThat(InstanceServer.readiness(KafkaStreams.State.RUNNING, () -> false))
                .contains("caught up");
        assertThat(InstanceServer.readiness(KafkaStreams.State.RUNNING, () -> true))
                .isNull();
    }
}
