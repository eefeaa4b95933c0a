package dev.tributary.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.functions.ServingModel;
import dev.tributary.learn.FeatureVector;
import dev.tributary.registry.ModelCache;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
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
 * --json} sends them), validates it with the score function's {@link EventDecoder}, publishes the
 * body unchanged to the events topic keyed by its id once the broker has it, and answers 202
 * {@code {"id": ...}}; a bad event gets 400 with the reason and is not published. {@code POST
 * /v1/models/NAME:predict} with {@code {"features": {...}, "categories": {...}}} answers 200 with the
 * prediction of the version scoring serves now ({@link ServingModel#predict}, the score function's
 * own code), 404 for an unknown model. Bodies over the event size limit get 413, other methods 405,
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

  private final ModelCatalog catalog;
  private final EventSink sink;
  private final EventDecoder decoder;
  private final int maxBodyBytes;
  private final HttpServer server;

  public Gateway(ModelCatalog catalog, EventSink sink, EventLimits limits, String host, int port, int threads)
      throws IOException {
    this.catalog = catalog;
    this.sink = sink;
    this.decoder = new EventDecoder(limits);
    this.maxBodyBytes = limits.maxValueBytes();
    this.server = Http.start(host, port, threads, "tributary-gateway", Map.of(
        "/v1/events", this::postEvent,
        "/v1/models/", this::predict,
        "/", exchange -> {
          throw new Http.Refused(404, "no such path " + exchange.getRequestURI().getPath()
              + ": use POST /v1/events or POST /v1/models/NAME:predict");
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
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    return new EventSink() {
      @Override
      public void publish(byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
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
    try {
      sink.publish(event.getId().getBytes(StandardCharsets.UTF_8), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Http.Refused(503, "interrupted while publishing the event");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new Http.Refused(503, "the event could not be published: " + cause);
    } catch (Exception e) {
      throw new Http.Refused(503, "the event could not be published: " + e);
    }
    Http.json(exchange, 202, Map.of("id", event.getId()));
  }

  private void predict(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String rest = path.substring("/v1/models/".length());
    if (!rest.endsWith(PREDICT_SUFFIX) || rest.length() == PREDICT_SUFFIX.length() || rest.contains("/")) {
      throw new Http.Refused(404, "no such path " + exchange.getRequestURI().getPath()
          + ": use POST /v1/models/NAME:predict");
    }
    String model = URLDecoder.decode(rest.substring(0, rest.length() - PREDICT_SUFFIX.length()), StandardCharsets.UTF_8);
    Http.requireMethod(exchange, "POST");
    byte[] body = Http.body(exchange, maxBodyBytes);
    JsonNode request;
    try {
      request = Http.JSON.readTree(body);
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

    ServingModel serving;
    try {
      serving = catalog.servingOrWait(model, UNKNOWN_MODEL_WAIT);
    } catch (ModelCache.ModelUnusableException e) {
      throw new Http.Refused(503, "model '" + model + "' cannot be served: " + e.getMessage());
    }
    if (serving == null) {
      throw new Http.Refused(404, "unknown model '" + model + "': create it first (tributary models create " + model
          + " ...)");
    }
    FeatureVector x = new FeatureVector(64);
    String problem = serving.featurize(event.getFeatures(), event.getCategories(), x);
    if (problem != null) {
      throw new Http.Refused(400, problem + " (model '" + model + "')");
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
