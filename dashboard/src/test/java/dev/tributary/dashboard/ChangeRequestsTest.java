package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a change request needs before it reaches the registry (no broker needed: each is refused first). */
class ChangeRequestsTest {
    private ModelRegistry registry;
    private DashboardServer server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        registry = new ModelRegistry(
                Map.of("bootstrap.servers", "127.0.0.1:1"), "tributary.models", Duration.ofSeconds(1));
        server = new DashboardServer(
                "127.0.0.1",
                0,
                new DashboardData(
                        ModelsJson.object(),
                        new ModelsJson(new RegistryView(), TestRegistry.RENDERERS, m -> 0),
                        new DeadLetterLog(TestRegistry.RENDERERS),
                        new UsageLog(TestRegistry.RENDERERS),
                        new InstanceMetrics(List.of()),
                        new GroupLag(null),
                        null,
                        new ChangeRequests(registry),
                        new EventStream(() -> "{}")),
                () -> 0);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<String> post(String contentType, String origin, boolean header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/models/fraud/alias"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("{\"alias\":\"champion\",\"version\":1}"));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (header) {
            request.header(ChangeRequests.HEADER, "1");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCrossSiteFormCannotChangeAnAlias() throws Exception {
        HttpResponse<String> form = post("application/x-www-form-urlencoded", "https://evil.example", false);
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains(ChangeRequests.HEADER);
    }

    @Test
    void anotherOriginIsRefusedEvenWithTheHeader() throws Exception {
        HttpResponse<String> r = post("application/json", "https://evil.example", true);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("cross-origin");
    }

    @Test
    void onlyJsonIsTaken() throws Exception {
        assertThat(post("text/plain", null, true).statusCode()).isEqualTo(415);
    }

    @Test
    void theSameOriginReachesTheRegistry() throws Exception {
        // no broker: the registry answers that it cannot be reached, or that it knows no such model
        HttpResponse<String> r = post("application/json", base, true);
        assertThat(r.statusCode()).as(r.body()).isIn(409, 503);
        assertThat(r.body()).doesNotContain("cross-origin", ChangeRequests.HEADER, "read-only");
    }
}
