package dev.sparkgate.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line, for log stores that parse JSON (Loki, Elasticsearch, Cloud Logging): {@code time}
 * (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread}, {@code session} and {@code user} when the line is
 * about one ({@link LogContext}), the line's key-value pairs (the audit log's), {@code message}, and {@code cause} (the exception's class, message and stack
 * trace) when there is one. Our own small layout rather than logback's JsonEncoder, whose objects nest the MDC and
 * carry fields (sequence numbers, nanoseconds, argument arrays) that make every query longer.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc.containsKey(LogContext.SESSION)) {
            line.put("session", mdc.get(LogContext.SESSION));
        }
        if (mdc.containsKey(LogContext.USER)) {
            line.put("user", mdc.get(LogContext.USER));
        }
        // slf4j's key-value pairs (the audit log's who, action, target, outcome) as fields of their own.
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> line.putIfAbsent(pair.key, String.valueOf(pair.value)));
        }
        line.put("message", event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("class", thrown.getClassName());
            cause.put("message", thrown.getMessage());
            cause.put("stack", ThrowableProxyUtil.asString(thrown));
            line.put("cause", cause);
        }
        try {
            return MAPPER.writeValueAsString(line) + CoreConstants.LINE_SEPARATOR;
        } catch (JsonProcessingException e) {
            // A map of strings always serializes; if it ever does not, the line is still one JSON object.
            return "{\"level\":\"ERROR\",\"message\":\"unloggable line: " + e.getClass().getName() + "\"}"
                    + CoreConstants.LINE_SEPARATOR;
        }
    }
}
