package dev.tributary.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.functions.ServingModel;
import dev.tributary.learn.FeatureVector;
import dev.tributary.model.Labels;
import dev.tributary.registry.ModelCache;
import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.FeedbackDecoder;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The HTTP trigger. {@code POST /v1/events} takes one JSON event (as {@code tributary produce
 * --json} sends them), validates it with the score function's {@link EventDecoder} and checks it against the model's
 * serving version as the score function does (404 for an unknown model, 400 for a missing or bad
 * feature or a label the model cannot learn from), publishes the
 * body unchanged to the events topic keyed by its id once the broker has it, and answers 202
 * {@code {"id": ...}}; a bad event gets 400 with the reason and is not published. {@code POST
 * /v1/models/NAME:predict} with {@code {"features": {...}, "categories": {...}}} answers 200 with the
 * prediction of the version scoring serves now ({@link ServingModel#predict}, the score function's
 * own code), 404 for an unknown model. {@code POST /v1/feedback} takes the label of an event scored
 * earlier, {@code {"id": ..., "model": ..., "label": ...}}: checked with the score function's {@link
 * FeedbackDecoder} and against the model (it exists, waits for labels, and can learn this label: 404
 * or 400 with the reason otherwise), then published unchanged to the feedback topic keyed by the
 * event id; 202 {@code {"id": ...}}. Bodies over the event size limit get 413, other methods 405,
 * and every error is {@code {"error": "..."}}.
 */
public final class Gateway implements AutoCloseable {
    /** Where accepted events go; {@link #publish} returns once the event is stored. */
    public interface EventSink extends AutoCloseable {
        void publish(byte[] key, byte[] value) throws Exception;

        @Override
        default void close() {}
    }

    static final String PREDICT_SUFFIX = ":predict";
    static final Duration UNKNOWN_MODEL_WAIT = Duration.ofSeconds(1);
    /** What a 503 for a model not read yet tells the client to wait before asking again. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final ModelCatalog catalog;
    private final EventSink sink;
    private final EventSink feedbackSink;
    private final EventDecoder decoder;
    private final FeedbackDecoder feedbackDecoder;
    private final int maxBodyBytes;
    private final HttpServer server;

    /** A gateway without {@code /v1/feedback} (it answers 404). */
    public Gateway(ModelCatalog catalog, EventSink sink, EventLimits limits, String host, int port, int threads)
            throws IOException {
        this(catalog, sink, null, limits, host, port, threads);
    }

    /** @param feedbackSink where accepted feedback goes (the feedback topic), or null for no {@code /v1/feedback} */
    public Gateway(
            ModelCatalog catalog,
            EventSink sink,
            EventSink feedbackSink,
            EventLimits limits,
            String host,
            int port,
            int threads)
            throws IOException {
        this.catalog = catalog;
        this.sink = sink;
        this.feedbackSink = feedbackSink;
        this.decoder = new EventDecoder(limits);
        this.feedbackDecoder = new FeedbackDecoder(limits);
        this.maxBodyBytes = limits.maxValueBytes();
        this.server = Http.start(
                host,
                port,
                threads,
                "tributary-gateway",
                Map.of(
                        "/v1/events", this::postEvent,
                        "/v1/feedback", this::postFeedback,
                        "/v1/models/", this::predict,
                        "/",
                                exchange -> {
                                    throw new Http.Refused(
                                            404,
                                            "no such path "
                                                    + exchange.getRequestURI().getPath()
                                                    + ": use POST /v1/events, POST /v1/feedback or POST /v1/models/NAME:predict");
                                }));
    }

    /** A sink publishing to {@code topic} with a producer of its own (acks=all, idempotent). */
    public static EventSink kafkaSink(Map<String, Object> clientProperties, String topic, Duration timeout) {
        Map<String, Object> props = new LinkedHashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 2_000));
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 1_000));
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        return new EventSink() {
            @Override
            public void publish(byte[] key, byte[] value) throws Exception {
                producer.send(new ProducerRecord<>(topic, key, value))
                        .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(10));
            }
        };
    }

    private void postEvent(HttpExchange exchange) throws IOException {
        Http.requireMethod(exchange, "POST");
        byte[] body = Http.body(exchange, maxBodyBytes);
        Event event = decode(body);
        // What the score function would refuse is refused here, before it becomes a dead letter.
        ServingModel serving = serving(exchange, event.getModel());
        String problem = serving.labelProblem(event.getLabel());
        if (problem == null) {
            problem = featurizeProblem(serving, event, new FeatureVector(64));
        }
        if (problem != null) {
            throw new Http.Refused(400, problem);
        }
        publish(sink, event.getId(), body, "event");
        Http.json(exchange, 202, Map.of("id", event.getId()));
    }

    private void postFeedback(HttpExchange exchange) throws IOException {
        if (feedbackSink == null || !exchange.getRequestURI().getPath().equals("/v1/feedback")) {
            throw new Http.Refused(
                    404, "no such path " + exchange.getRequestURI().getPath());
        }
        Http.requireMethod(exchange, "POST");
        byte[] body = Http.body(exchange, maxBodyBytes);
        Feedback feedback;
        try {
            feedback = feedbackDecoder.decode(body, System.currentTimeMillis());
        } catch (DecodeException e) {
            throw new Http.Refused(400, e.getMessage());
        }
        ModelSpec spec = catalog.spec(feedback.getModel()).orElse(null);
        if (spec == null && catalog.awaitCaughtUp(UNKNOWN_MODEL_WAIT)) {
            spec = catalog.spec(feedback.getModel()).orElse(null);
        }
        if (spec == null) {
            throw unknownModel(feedback.getModel());
        }
        Labels.feedbackProblem(spec, feedback.getLabel()).ifPresent(problem -> {
            throw new Http.Refused(400, problem);
        });
        publish(feedbackSink, feedback.getId(), body, "feedback");
        Http.json(exchange, 202, Map.of("id", feedback.getId()));
    }

    /** Returns once the value is stored; 503 with the reason when it could not be. */
    private static void publish(EventSink to, String id, byte[] body, String what) {
        try {
            to.publish(id.getBytes(StandardCharsets.UTF_8), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Http.Refused(503, "interrupted while publishing the " + what);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new Http.Refused(503, "the " + what + " could not be published: " + cause);
        } catch (Exception e) {
            throw new Http.Refused(503, "the " + what + " could not be published: " + e);
        }
    }

    private static Http.Refused unknownModel(String model) {
        return new Http.Refused(
                404, "unknown model '" + model + "': create it first (tributary models create " + model + " ...)");
    }

    private void predict(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String rest = path.substring("/v1/models/".length());
        if (!rest.endsWith(PREDICT_SUFFIX) || rest.length() == PREDICT_SUFFIX.length() || rest.contains("/")) {
            throw new Http.Refused(
                    404, "no such path " + exchange.getRequestURI().getPath() + ": use POST /v1/models/NAME:predict");
        }
        String model =
                URLDecoder.decode(rest.substring(0, rest.length() - PREDICT_SUFFIX.length()), StandardCharsets.UTF_8);
        Http.requireMethod(exchange, "POST");
        byte[] body = Http.body(exchange, maxBodyBytes);
        JsonNode request;
        try {
            request = Http.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Http.Refused(
                    400, "malformed JSON: " + e.getOriginalMessage()); // without the parser's location dump
        } catch (IOException e) {
            throw new Http.Refused(400, "malformed JSON: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw new Http.Refused(400, "the body must be a JSON object {\"features\": {...}, \"categories\": {...}}");
        }
        // The same checks and limits as an event on the topic: the body becomes one.
        ObjectNode asEvent = Http.JSON.createObjectNode();
        asEvent.put("id", "predict");
        asEvent.put("model", model);
        asEvent.set("features", request.get("features"));
        asEvent.set("categories", request.get("categories"));
        Event event = decode(Http.JSON.writeValueAsBytes(asEvent));

        ServingModel serving = serving(exchange, model);
        FeatureVector x = new FeatureVector(64);
        String problem = featurizeProblem(serving, event, x);
        if (problem != null) {
            throw new Http.Refused(400, problem);
        }
        long now = System.currentTimeMillis();
        Prediction p = serving.predict(event.getId(), x, now, now);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("model", p.getModel());
        reply.put("version", p.getModelVersion());
        reply.put("algorithm", p.getAlgorithm().name());
        reply.put("value", p.getValue());
        reply.put("predictedClass", p.getPredictedClass());
        reply.put("margin", p.getMargin());
        Http.json(exchange, 200, reply);
    }

    /**
     * The model's serving version, found as the score function finds it ({@link ModelCatalog#lookup}):
     * 404 when the registry has no such model, 503 with {@code Retry-After} while the registry is still
     * being read, 503 when the model cannot be served.
     */
    private ServingModel serving(HttpExchange exchange, String model) {
        ModelCatalog.Lookup found;
        try {
            found = catalog.lookup(model, UNKNOWN_MODEL_WAIT);
        } catch (ModelCache.ModelUnusableException e) {
            throw new Http.Refused(503, "model '" + model + "' cannot be served: " + e.getMessage());
        }
        if (found.model() != null) {
            return found.model();
        }
        if (!found.registryRead()) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            throw new Http.Refused(
                    503,
                    "the registry is still being read, so model '" + model + "' may exist: " + "try again in a moment");
        }
        throw unknownModel(model);
    }

    private static String featurizeProblem(ServingModel serving, Event event, FeatureVector x) {
        String problem = serving.featurize(event.getFeatures(), event.getCategories(), x);
        return problem == null ? null : problem + " (model '" + serving.spec().getName() + "')";
    }

    private Event decode(byte[] body) {
        try {
            return decoder.decode(body, System.currentTimeMillis());
        } catch (DecodeException e) {
            throw new Http.Refused(400, e.getMessage());
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving; the sink and the catalog belong to the caller. */
    @Override
    public void close() {
        Http.stop(server);
    }
}
