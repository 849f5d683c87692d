package dev.sparkgate.jupyter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One message of Jupyter's messaging protocol (5.x), as both transports carry it: the ZeroMQ kernel signs and frames
 * its four dicts, the Kernel Gateway WebSocket sends the whole record as JSON with {@code channel} set.
 *
 * <p>Headers stay plain maps: a request's header comes back verbatim as its replies' {@code parent_header}, whatever
 * keys a newer client put in it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JupyterMessage(Map<String, Object> header,
                             @JsonProperty("parent_header") Map<String, Object> parentHeader,
                             Map<String, Object> metadata,
                             Map<String, Object> content,
                             String channel,
                             List<Object> buffers) {

    /** The protocol version this kernel speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    public static final String SHELL = "shell";
    public static final String CONTROL = "control";
    public static final String IOPUB = "iopub";
    public static final String STDIN = "stdin";

    public JupyterMessage {
        header = header == null ? Map.of() : header;
        parentHeader = parentHeader == null ? Map.of() : parentHeader;
        metadata = metadata == null ? Map.of() : metadata;
        content = content == null ? Map.of() : content;
        buffers = buffers == null ? List.of() : buffers;
    }

    /**
     * A new message from the kernel. {@code session} names the kernel's messaging session (one per kernel process,
     * new on restart); {@code parent} is the request it answers or the request whose output it is, or null.
     */
    public static JupyterMessage create(String msgType, Map<String, Object> content, JupyterMessage parent,
                                        String channel, String session, String username) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("msg_type", msgType);
        header.put("username", username);
        header.put("session", session);
        header.put("date", Instant.now().toString());
        header.put("version", PROTOCOL_VERSION);
        return new JupyterMessage(header, parent == null ? Map.of() : parent.header(), Map.of(), content, channel,
                List.of());
    }

    /** The same message on another channel (the ZeroMQ transport knows the channel by the socket it came on). */
    public JupyterMessage onChannel(String newChannel) {
        return new JupyterMessage(header, parentHeader, metadata, content, newChannel, buffers);
    }

    @JsonIgnore
    public String msgType() {
        return text(header, "msg_type");
    }

    @JsonIgnore
    public String msgId() {
        return text(header, "msg_id");
    }

    /** A text field of the content, or {@code fallback} when it is missing or not text. */
    public String text(String field, String fallback) {
        return content.get(field) instanceof String s ? s : fallback;
    }

    public int integer(String field, int fallback) {
        return content.get(field) instanceof Number n ? n.intValue() : fallback;
    }

    public boolean flag(String field, boolean fallback) {
        return content.get(field) instanceof Boolean b ? b : fallback;
    }

    private static String text(Map<String, Object> map, String field) {
        return map.get(field) instanceof String s ? s : "";
    }
}
