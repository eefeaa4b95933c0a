package dev.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.functions.ServingModel;
import dev.tributary.learn.FeatureVector;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayTest {
    static final EventLimits LIMITS = new EventLimits(4096, 100, 1e15);

    final RegistryView view = new RegistryView();
    final List<byte[][]> published = new CopyOnWriteArrayList<>();
    final List<byte[][]> feedback = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    ModelCatalog catalog;
    Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        ModelSpec spec = ModelVersions.defaultSpec("m", Algorithm.LOGISTIC_REGRESSION, List.of("x1", "x2"))
                .setStandardize(false)
                .build();
        view.apply(RegistryKeys.spec("m"), new RegistryRecord(spec));
        ModelVersion v0 = ModelSpecs.initialVersion(spec, 1L);
        view.apply(RegistryKeys.version("m", 0), new RegistryRecord(v0));
        // Weights that tell x1 from x2, so that a prediction with swapped features cannot pass.
        view.apply(
                RegistryKeys.version("m", 1),
                new RegistryRecord(ModelVersion.newBuilder(v0)
                        .setVersion(1)
                        .setWeights(Vectors.toBytes(new double[] {0.5, -1.25}))
                        .setBias(0.1)
                        .setExamplesSeen(10)
                        .setParentVersion(0L)
                        .build()));
        ModelSpec waits = ModelVersions.defaultSpec("ctr", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setLabelWaitMs(60_000)
                .build();
        view.apply(RegistryKeys.spec("ctr"), new RegistryRecord(waits));
        view.apply(RegistryKeys.version("ctr", 0), new RegistryRecord(ModelSpecs.initialVersion(waits, 1L)));
        catalog = new ModelCatalog(view, timeout -> true);
        gateway = new Gateway(
                catalog,
                (key, value) -> published.add(new byte[][] {key, value}),
                (key, value) -> feedback.add(new byte[][] {key, value}),
                LIMITS,
                "127.0.0.1",
                0,
                2);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return Http.JSON.readTree(response.body());
    }

    @Test
    void aValidEventIsPublishedRawKeyedByItsId() throws Exception {
        String event = "{\"id\": \"e1\", \"model\": \"m\", \"features\": {\"x1\": 1.5, \"x2\": -2}, \"label\": 1}";
        HttpResponse<String> response = send("POST", "/v1/events", event);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).path("id").asText()).isEqualTo("e1");
        assertThat(published).hasSize(1);
        assertThat(new String(published.get(0)[0], StandardCharsets.UTF_8)).isEqualTo("e1");
        assertThat(new String(published.get(0)[1], StandardCharsets.UTF_8)).isEqualTo(event);
    }

    @Test
    void aBadEventGets400WithTheReasonAndIsNotPublished() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/events", "{\"id\": \"e1\", \"model\": \"m\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains("missing 'features'");
        response = send("POST", "/v1/events", "{\"id\": \"e2\", \"model\": \"m\", \"features\": {\"x1\": \"a\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains("feature 'x1' must be a number");
        response = send("POST", "/v1/events", "not json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(published).isEmpty();
    }

    @Test
    void anEventTheScoreFunctionWouldDeadLetterIsRefusedWithTheReasonAndNotPublished() throws Exception {
        HttpResponse<String> response =
                send("POST", "/v1/events", "{\"id\": \"e1\", \"model\": \"nope\", \"features\": {}}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).contains("unknown model 'nope'");
        response = send("POST", "/v1/events", "{\"id\": \"e2\", \"model\": \"m\", \"features\": {\"x1\": 1}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("missing feature 'x2' (model 'm')");
        response = send(
                "POST",
                "/v1/events",
                "{\"id\": \"e3\", \"model\": \"m\", \"features\": {\"x1\": 1, \"x2\": 2}, \"label\": 2}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText())
                .isEqualTo("label 2.0 is not 0 or 1, as the LOGISTIC_REGRESSION model 'm' requires");
        assertThat(published).isEmpty();
    }

    @Test
    void aModelNotFoundBeforeTheRegistryIsReadGets503NotA404() throws Exception {
        gateway.close();
        gateway = new Gateway(
                new ModelCatalog(new RegistryView(), timeout -> false),
                (key, value) -> published.add(new byte[][] {key, value}),
                LIMITS,
                "127.0.0.1",
                0,
                1);
        HttpResponse<String> response =
                send("POST", "/v1/events", "{\"id\": \"e1\", \"model\": \"m\", \"features\": {}}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(response).path("error").asText())
                .contains("still being read")
                .contains("try again");
        response = send("POST", "/v1/models/m:predict", "{\"features\": {}}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }

    @Test
    void anUnknownModelAskedForAgainAtOnceIsAnsweredWithoutWaitingForTheRegistryAgain() throws Exception {
        gateway.close();
        AtomicInteger catchUps = new AtomicInteger();
        gateway = new Gateway(
                new ModelCatalog(
                        view,
                        timeout -> {
                            catchUps.incrementAndGet();
                            return true;
                        },
                        () -> 0L), // a clock that stands still: the unknown model stays remembered
                (key, value) -> published.add(new byte[][] {key, value}),
                LIMITS,
                "127.0.0.1",
                0,
                1);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = send("POST", "/v1/models/ghost:predict", "{\"features\": {}}");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        }
        assertThat(catchUps.get())
                .as("the score function's negative cache: one catch-up for the unknown model, not one per request")
                .isEqualTo(1);
    }

    @Test
    void aFailingSinkGets503() throws Exception {
        gateway.close();
        gateway = new Gateway(
                catalog,
                (key, value) -> {
                    throw new IllegalStateException("broker down");
                },
                LIMITS,
                "127.0.0.1",
                0,
                1);
        HttpResponse<String> response =
                send("POST", "/v1/events", "{\"id\": \"e1\", \"model\": \"m\", \"features\": {\"x1\": 1, \"x2\": 2}}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).path("error").asText()).contains("broker down");
    }

    @Test
    void predictAnswersWithTheServingVersionAsTheScoreFunctionComputesIt() throws Exception {
        HttpResponse<String> response =
                send("POST", "/v1/models/m:predict", "{\"features\": {\"x1\": 1.5, \"x2\": -2}, \"categories\": {}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        ServingModel serving = catalog.serving("m");
        FeatureVector x = new FeatureVector(8);
        assertThat(serving.featurize(Map.of("x1", 1.5, "x2", -2.0), Map.of(), x))
                .isNull();
        Prediction expected = serving.predict("any", x, 0, 0);
        assertThat(body.path("model").asText()).isEqualTo("m");
        assertThat(body.path("version").asLong()).isEqualTo(1);
        assertThat(body.path("algorithm").asText()).isEqualTo("LOGISTIC_REGRESSION");
        double margin = 0.5 * 1.5 - 1.25 * -2 + 0.1;
        assertThat(body.path("margin").asDouble()).isCloseTo(margin, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(body.path("value").asDouble())
                .isCloseTo(1 / (1 + Math.exp(-margin)), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(body.path("value").asDouble()).isEqualTo(expected.getValue());
        assertThat(body.path("margin").asDouble()).isEqualTo(expected.getMargin());
        assertThat(body.path("predictedClass").asInt()).isEqualTo(expected.getPredictedClass());
    }

    @Test
    void predictRefusesUnknownModelsMissingFeaturesAndOtherPaths() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/models/nope:predict", "{\"features\": {\"x1\": 1}}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).contains("unknown model 'nope'");

        response = send("POST", "/v1/models/m:predict", "{\"categories\": {}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains("missing 'features'");

        response = send("POST", "/v1/models/m:predict", "{\"features\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText())
                .startsWith("malformed JSON")
                .doesNotContain("[Source");

        response = send("POST", "/v1/models/m:predict", "[1, 2]");
        assertThat(response.statusCode()).isEqualTo(400);

        response = send("POST", "/v1/models/m", "{\"features\": {}}");
        assertThat(response.statusCode()).isEqualTo(404);
        response = send("POST", "/v2/anything", "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).contains("no such path");
    }

    @Test
    void wrongMethodsGet405() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/events", null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(response).path("error").asText()).contains("use POST");
        assertThat(send("PUT", "/v1/models/m:predict", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        String big =
                "{\"id\": \"e1\", \"model\": \"m\", \"features\": {\"x1\": 1}, \"pad\": \"" + "x".repeat(5000) + "\"}";
        HttpResponse<String> response = send("POST", "/v1/events", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").asText()).contains("over the limit of 4096 bytes");
        assertThat(send("POST", "/v1/models/m:predict", big).statusCode()).isEqualTo(413);
        assertThat(published).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitGets413WithTheReason() throws Exception {
        // A raw request, as curl sends a large body: chunked, the whole body written before the answer is read, and
        // more
        // of it than the HTTP server reads by itself on close (64 KiB).
        gateway.close();
        gateway = new Gateway(
                catalog,
                (key, value) -> published.add(new byte[][] {key, value}),
                new EventLimits(16384, 100, 1e15),
                "127.0.0.1",
                0,
                1);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(60_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 200; i++) {
                out.write(("3e8\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413").contains("over the limit of 16384 bytes");
        }
    }

    @Test
    void feedbackIsPublishedRawToTheFeedbackSinkKeyedByTheEventId() throws Exception {
        String body = "{\"id\": \"imp-81\", \"model\": \"ctr\", \"label\": 1}";
        HttpResponse<String> response = send("POST", "/v1/feedback", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).path("id").asText()).isEqualTo("imp-81");
        assertThat(feedback).hasSize(1);
        assertThat(new String(feedback.get(0)[0], StandardCharsets.UTF_8)).isEqualTo("imp-81");
        assertThat(new String(feedback.get(0)[1], StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(published).isEmpty();
    }

    @Test
    void badFeedbackGets400Or404WithTheReasonAndIsNotPublished() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/feedback", "{\"model\": \"ctr\", \"label\": 1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains("missing 'id'");

        response = send("POST", "/v1/feedback", "{\"id\": \"imp-1\", \"model\": \"ctr\", \"label\": 2}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText())
                .isEqualTo("label 2.0 is not 0 or 1, as the LOGISTIC_REGRESSION " + "model 'ctr' requires");

        response = send("POST", "/v1/feedback", "{\"id\": \"imp-1\", \"model\": \"ctr\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains("missing 'label'");

        response = send("POST", "/v1/feedback", "{\"id\": \"imp-1\", \"model\": \"nope\", \"label\": 1}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).contains("unknown model 'nope'");

        response = send("POST", "/v1/feedback", "{\"id\": \"e1\", \"model\": \"m\", \"label\": 1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).contains("model 'm' has no label wait");

        assertThat(send("GET", "/v1/feedback", null).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/v1/feedback/x", "{}").statusCode()).isEqualTo(404);
        assertThat(feedback).isEmpty();
    }

    @Test
    void aGatewayWithoutAFeedbackSinkHasNoFeedbackPath() throws Exception {
        gateway.close();
        gateway = new Gateway(
                catalog, (key, value) -> published.add(new byte[][] {key, value}), LIMITS, "127.0.0.1", 0, 1);
        assertThat(send("POST", "/v1/feedback", "{\"id\": \"imp-81\", \"model\": \"ctr\", \"label\": 1}")
                        .statusCode())
                .isEqualTo(404);
    }
}
