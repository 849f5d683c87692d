package dev.sparkgate.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/**
 * The stream's questions and answers on the wire: the question's or answer's own fields, its {@code type} first,
 * beside the stream's {@code requestId} (and a question's {@code kind}), in one flat object, as the page and other
 * clients have always sent and read them: {@code {"type":"complete","requestId":3,"code":"spark.ra","cursor":8}}.
 */
final class FlatEnvelope {

    private static final List<String> ENVELOPE_FIELDS = List.of("requestId", "kind");

    private FlatEnvelope() {
    }

    static void write(JsonGenerator out, int requestId, Object payload, String kind) throws IOException {
        ObjectNode fields = Json.MAPPER.valueToTree(payload);
        ObjectNode flat = JsonNodeFactory.instance.objectNode();
        flat.set("type", fields.remove("type"));
        flat.put("requestId", requestId);
        flat.setAll(fields);
        if (kind != null) {
            flat.put("kind", kind);
        }
        out.writeTree(flat);
    }

    /** The flat object as it came; the stream's type deserializer keeps {@code type} in it (it is visible). */
    static ObjectNode read(JsonParser in, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(in);
        if (!(node instanceof ObjectNode object)) {
            throw context.weirdStringException(node.toString(), ObjectNode.class, "a JSON object");
        }
        return object;
    }

    static int requestId(ObjectNode flat) {
        return flat.path("requestId").asInt();
    }

    static String kind(ObjectNode flat) {
        JsonNode kind = flat.get("kind");
        return kind == null || kind.isNull() ? null : kind.asText();
    }

    /** The payload's own fields, to read as the payload's type (whose subtype its {@code type} names). */
    static <T> T payload(ObjectNode flat, Class<T> type) throws IOException {
        ObjectNode own = flat.deepCopy();
        own.remove(ENVELOPE_FIELDS);
        return Json.MAPPER.treeToValue(own, type);
    }
}
