package dev.tributary.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.Prediction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A prediction as one flat JSON object: what a function with {@code outputFormat: json} writes, and what {@code consume} prints. */
public final class PredictionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PredictionJson() {}

    public static ObjectNode node(Prediction p) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("eventId", p.getEventId());
        json.put("model", p.getModel());
        json.put("modelVersion", p.getModelVersion());
        json.put("algorithm", p.getAlgorithm().name());
        json.put("value", p.getValue());
        if (p.getPredictedClass() == null) {
            json.putNull("predictedClass");
        } else {
            json.put("predictedClass", p.getPredictedClass());
        }
        json.put("margin", p.getMargin());
        json.put("eventTimestamp", p.getEventTimestamp());
        json.put("scoredAt", p.getScoredAt());
        if (p.getShadows() != null) {
            ArrayNode shadows = json.putArray("shadows");
            p.getShadows().forEach(s -> {
                ObjectNode shadow = shadows.addObject();
                shadow.put("alias", s.getAlias());
                shadow.put("version", s.getVersion());
                shadow.put("value", s.getValue());
                if (s.getPredictedClass() == null) {
                    shadow.putNull("predictedClass");
                } else {
                    shadow.put("predictedClass", s.getPredictedClass());
                }
            });
        }
        return json;
    }

    public static byte[] bytes(Prediction p) {
        try {
            return MAPPER.writeValueAsBytes(node(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a prediction always renders as JSON", e);
        }
    }

    /** Writes JSON; predictions are never read back through it. */
    static Serde<Prediction> serde() {
        return Serdes.serdeFrom((topic, p) -> p == null ? null : bytes(p), (topic, bytes) -> {
            throw new UnsupportedOperationException("JSON predictions are written, not read, by the functions");
        });
    }
}
