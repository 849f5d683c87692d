package dev.sparkgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.Locale;

/**
 * The gateway's logging, configured in code when logback starts (found through {@code META-INF/services}), so one
 * environment variable chooses the format and no XML is shipped: {@code SPARKGATE_LOG_FORMAT=json} gives
 * {@link JsonLineLayout}'s one object per line, anything else (the default, {@code text}) one readable line with the
 * session in brackets when known. Both go to stderr, as before. {@code SPARKGATE_LOG_LEVEL} sets the gateway's own
 * level (default {@code INFO}); Jetty and Javalin log warnings only.
 */
public final class GatewayLogging extends ContextAwareBase implements Configurator {

    public static final String FORMAT_VARIABLE = "SPARKGATE_LOG_FORMAT";
    public static final String LEVEL_VARIABLE = "SPARKGATE_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Encoder<ILoggingEvent> encoder = "json".equalsIgnoreCase(System.getenv(FORMAT_VARIABLE))
                ? jsonEncoder(context) : textEncoder(context);
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv().getOrDefault(LEVEL_VARIABLE, "INFO").toUpperCase(Locale.ROOT),
                Level.INFO));
        root.addAppender(console);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        Layout<ILoggingEvent> layout = new JsonLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0}%replace( [session %X{session}]){' \\[session \\]', ''} - %msg%n");
        encoder.start();
        return encoder;
    }
}
