package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.functions.DeadLetters;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.Http;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardServerTest {
    static final long NOW = 1_000_000;

    private final RegistryView view = new RegistryView();
    private final DeadLetterLog deadLetters = new DeadLetterLog(TestRegistry.RENDERERS);
    private final UsageLog usage = new UsageLog(TestRegistry.RENDERERS);
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        ModelsJson models = new ModelsJson(view, TestRegistry.RENDERERS, model -> usage.eventsPerSecond(model, NOW));
        EventStream events = new EventStream(
                () -> Dashboard.changes(view.models().size(), deadLetters.total(), usage.added(), 0, 0));
        server = new DashboardServer(
                "127.0.0.1",
                0,
                new DashboardData(
                        ModelsJson.object().put("allowChanges", false),
                        models,
                        deadLetters,
                        usage,
                        new InstanceMetrics(List.of()),
                        new GroupLag(null),
                        null,
                        new ChangeRequests(null),
                        events),
                () -> NOW);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return Http.JSON.readTree(r.body());
    }

    @Test
    void thePageLoadsOnlyItsOwnScriptsUnderARestrictivePolicy() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
                .doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.body());
        int count = 0;
        while (scripts.find()) {
            assertThat(scripts.group(1)).contains("src=\"/");
            count++;
        }
        assertThat(count).isEqualTo(2);
        assertThat(page.body()).doesNotContain("http://", "https://", "style=", "onclick");
        for (String file : List.of("/app.js", "/charts.js", "/style.css", "/icon.svg")) {
            HttpResponse<String> r = get(file);
            assertThat(r.statusCode()).as(file).isEqualTo(200);
            assertThat(r.body()).as(file).doesNotContain("innerHTML", "https://cdn");
        }
        assertThat(get("/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    }

    @Test
    void aFileTheBrowserHasIsNotSentAgain() throws Exception {
        String etag = get("/app.js").headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = http.send(
                HttpRequest.newBuilder(URI.create(base + "/app.js"))
                        .header("If-None-Match", etag)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/charts.js").headers().firstValue("ETag"))
                .isPresent()
                .get()
                .isNotEqualTo(etag);
    }

    @Test
    void onlyTheJarsOwnFilesAreServed() throws Exception {
        assertThat(get("/%2e%2e/pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/dev/tributary/dashboard/Dashboard.class").statusCode()).isEqualTo(404);
        assertThat(get("/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get("/nothing.js").headers().firstValue("Content-Security-Policy"))
                .isPresent();
    }

    @Test
    void modelsAndAModel() throws Exception {
        TestRegistry.addModel(view, "fraud", 4, Map.of());

        assertThat(json("/api/models").get("models").get(0).get("name").asText())
                .isEqualTo("fraud");
        JsonNode fraud = json("/api/models/fraud");
        assertThat(fraud.get("curve").get("points")).hasSize(3);
        assertThat(fraud.get("allowChanges").asBoolean()).isFalse();
        assertThat(get("/api/models/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void changesAreRefusedWhenReadOnly() throws Exception {
        TestRegistry.addModel(view, "fraud", 2, Map.of());

        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/models/fraud/alias"))
                        .header("Content-Type", "application/json")
                        .header(ChangeRequests.HEADER, "1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"alias\":\"champion\",\"version\":0}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("read-only");
        assertThat(view.aliases("fraud")).isEmpty();
    }

    @Test
    void deadLettersComeBackAsJsonTextTruncatedWithTheirReason() throws Exception {
        ConsumerRecord<byte[], byte[]> script = new ConsumerRecord<>(
                "tributary.events", 0, 7, new byte[0], "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        script.headers().add(new RecordHeader(DeadLetters.ERROR_CLASS, "UNDECODABLE".getBytes(StandardCharsets.UTF_8)));
        deadLetters.add(script);
        deadLetters.add(new ConsumerRecord<>(
                "tributary.events", 0, 8, new byte[0], "x".repeat(5_000).getBytes(StandardCharsets.UTF_8)));

        JsonNode d = json("/api/dead-letters");

        assertThat(d.get("total").asLong()).isEqualTo(2);
        assertThat(d.get("reasons").toString()).isEqualTo("[\"UNDECODABLE\",\"unknown\"]");
        JsonNode latest = d.get("latest");
        assertThat(latest.get(0).get("value").asText())
                .hasSize(DeadLetterLog.MAX_CHARS + 1)
                .endsWith("…");
        assertThat(latest.get(0).get("valueTruncated").asInt()).isEqualTo(5_000);
        assertThat(latest.get(1).get("value").asText()).isEqualTo("<script>alert(1)</script>");
        assertThat(latest.get(1).get("reason").asText()).isEqualTo("UNDECODABLE");
    }

    @Test
    void theBillCoversTheIntervalsEndingInTheRange() throws Exception {
        usage.add(TestRegistry.usage("fraud", 100_000, 5));
        usage.add(TestRegistry.usage("fraud", 200_000, 7));
        usage.add(TestRegistry.usage("fraud", 300_000, 11));

        JsonNode bill = json("/api/usage?since=150000&until=300000&by=model");

        assertThat(bill.get("records").asInt()).isEqualTo(1);
        assertThat(bill.get("invocations").asLong()).isEqualTo(7);
        assertThat(bill.get("by").toString()).isEqualTo("[\"model\"]");
        assertThat(json("/api/usage").get("invocations").asLong()).isEqualTo(23);
        assertThat(get("/api/usage?by=secret").statusCode()).isEqualTo(400);
    }

    @Test
    void eventsPerSecondComeFromTheLastIntervals() {
        usage.add(TestRegistry.usage("fraud", NOW - 40_000, 1_000)); // outside the window
        usage.add(TestRegistry.usage("fraud", NOW - 20_000, 300));
        usage.add(TestRegistry.usage("fraud", NOW - 10_000, 300));
        usage.add(TestRegistry.usage("churn", NOW - 10_000, 999));

        // two 10 s intervals: 600 events in 20 s
        assertThat(usage.eventsPerSecond("fraud", NOW)).isEqualTo(30.0);
        assertThat(usage.eventsPerSecond("spam", NOW)).isZero();
    }

    @Test
    void theChangeFeedIsServerSentEvents() throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/events")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("event: change");
            assertThat(in.readLine())
                    .isEqualTo("data: {\"registry\":0,\"deadLetters\":0,\"usage\":0,\"functions\":0,\"tick\":0}");
        }
    }
}
