package dev.sparkgate.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * The stream's questions and answers on the wire: the question's or answer's own fields, its {@code type} first,
 * beside the stream's {@code requestId} (and a question's {@code kind}), in one flat object, as the page and other
 * clients have always sent and read them: {@code {"type":"complete","requestId":3,"code":"spark.ra","cursor":8}}.
 *
 * @param payload an {@link InterpreterQuestion} or {@link InterpreterAnswer}, which writes its own {@code type}
 * @param kind    the interpreter a question is for; null for the session's own, and for answers
 */
record FlatEnvelope(int requestId, Object payload, String kind) {

    private static final List<String> ENVELOPE_FIELDS = List.of("requestId", "kind");

    /** Writes an envelope flat: the payload's type stands for the envelope's, so no type of its own is written. */
    abstract static class Writer<T> extends StdSerializer<T> {
        private final Function<T, FlatEnvelope> envelope;

        Writer(Class<T> type, Function<T, FlatEnvelope> envelope) {
            super(type);
            this.envelope = envelope;
        }

        @Override
        public void serialize(T value, JsonGenerator out, SerializerProvider provider) throws IOException {
            FlatEnvelope flat = envelope.apply(value);
            ObjectNode fields = Json.MAPPER.valueToTree(flat.payload());
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.set("type", fields.remove("type"));
            node.put("requestId", flat.requestId());
            node.setAll(fields);
            if (flat.kind() != null) {
                node.put("kind", flat.kind());
            }
            out.writeTree(node);
        }

        @Override
        public void serializeWithType(T value, JsonGenerator out, SerializerProvider provider,
                                      TypeSerializer typeSerializer) throws IOException {
            serialize(value, out, provider);
        }
    }

    /**
     * Reads an envelope from the flat object. The stream's type deserializer leaves {@code type} in it (it is
     * visible), so the payload's subtype is read from the same {@code type} that chose the envelope.
     */
    abstract static class Reader<T> extends StdDeserializer<T> {
        private final Class<?> payloadType;
        private final Function<FlatEnvelope, T> envelope;

        Reader(Class<T> type, Class<?> payloadType, Function<FlatEnvelope, T> envelope) {
            super(type);
            this.payloadType = payloadType;
            this.envelope = envelope;
        }

        @Override
        public T deserialize(JsonParser in, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(in);
            if (!(node instanceof ObjectNode flat)) {
                throw context.weirdStringException(node.toString(), handledType(), "a JSON object");
            }
            JsonNode kind = flat.get("kind");
            ObjectNode own = flat.deepCopy();
            own.remove(ENVELOPE_FIELDS);
            Object payload = Json.MAPPER.treeToValue(own, payloadType);
            return envelope.apply(new FlatEnvelope(flat.path("requestId").asInt(), payload,
                    kind == null || kind.isNull() ? null : kind.asText()));
        }
    }
}
