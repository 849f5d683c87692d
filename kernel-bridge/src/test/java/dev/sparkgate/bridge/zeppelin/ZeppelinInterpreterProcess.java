package dev.sparkgate.bridge.zeppelin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import org.apache.zeppelin.interpreter.Interpreter;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterException;
import org.apache.zeppelin.interpreter.InterpreterGroup;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.InterpreterResultMessage;
import org.apache.zeppelin.interpreter.LazyOpenInterpreter;
import org.apache.zeppelin.user.AuthenticationInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * What Zeppelin's interpreter process ({@code RemoteInterpreterServer}) does with an interpreter setting, for one
 * interpreter group: it creates every interpreter the setting's {@code interpreter-setting.json} lists, by class name
 * with the setting's properties, wraps each in a {@link LazyOpenInterpreter} and adds it to a session of the group
 * (one per note or per user, as the setting's option says); it runs a paragraph on a job thread with a fresh
 * {@link InterpreterContext}, and asks for progress, cancels and completes with contexts of their own that share the
 * paragraph's id; a paragraph's result is what its output received, then the messages interpret returned.
 */
final class ZeppelinInterpreterProcess implements AutoCloseable {

    /** One run of a paragraph: Zeppelin's result and what arrived in its output meanwhile. */
    record Paragraph(InterpreterResult result, List<InterpreterResultMessage> messages,
                     List<RecordedOutput.Arrival> arrivals, long endedNanos) {

        String text() {
            return messages.stream().filter(m -> m.getType() == InterpreterResult.Type.TEXT)
                    .map(InterpreterResultMessage::getData).collect(Collectors.joining());
        }

        List<InterpreterResultMessage> ofType(InterpreterResult.Type type) {
            return messages.stream().filter(m -> m.getType() == type).toList();
        }
    }

    private final InterpreterGroup group;
    private final Properties properties;
    private final ExecutorService jobs = Executors.newCachedThreadPool();
    /** The Zeppelin user of each interpreter session, whose paragraphs run as them. */
    private final Map<String, String> users = new java.util.concurrent.ConcurrentHashMap<>();

    ZeppelinInterpreterProcess(String groupId, Properties properties) {
        this.group = new InterpreterGroup(groupId);
        this.properties = properties;
    }

    /** The interpreters of {@code interpreter-setting.json} on the classpath: name to class name, in its order. */
    static Map<String, String> interpreters() {
        Map<String, String> classes = new LinkedHashMap<>();
        setting().forEach(interpreter -> classes.put(interpreter.path("name").asText(),
                interpreter.path("className").asText()));
        return classes;
    }

    /** The setting's properties with their defaults, as a new interpreter setting starts with them. */
    static Properties defaults() {
        Properties defaults = new Properties();
        setting().forEach(interpreter -> interpreter.path("properties").fields().forEachRemaining(
                property -> defaults.setProperty(property.getKey(), property.getValue().path("defaultValue").asText())));
        return defaults;
    }

    private static JsonNode setting() {
        try (InputStream json = ZeppelinInterpreterProcess.class.getResourceAsStream("/interpreter-setting.json")) {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the setting's interpreters in session {@code sessionId} of the group, for {@code user}. */
    void createSession(String sessionId, String user) {
        users.put(sessionId, user);
        interpreters().values().forEach(className -> {
            try {
                Properties own = new Properties();
                own.putAll(properties);
                Interpreter interpreter = (Interpreter) Class.forName(className)
                        .getConstructor(Properties.class).newInstance(own);
                interpreter.setInterpreterGroup(group);
                interpreter.setUserName(user);
                group.addInterpreterToSession(new LazyOpenInterpreter(interpreter), sessionId);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Zeppelin could not create " + className, e);
            }
        });
    }

    /** The interpreter of {@code %sparkgate.<name>} in a session, as Zeppelin holds it: wrapped. */
    LazyOpenInterpreter interpreter(String sessionId, String name) {
        String className = interpreters().get(name);
        return (LazyOpenInterpreter) group.get(sessionId).stream()
                .filter(interpreter -> interpreter.getClassName().equals(className)).findFirst().orElseThrow();
    }

    /** The Sparkgate interpreter inside the wrapper, to look at what Zeppelin cannot see. */
    SparkgateInterpreter unwrapped(String sessionId, String name) {
        return (SparkgateInterpreter) interpreter(sessionId, name).getInnerInterpreter();
    }

    Paragraph run(String sessionId, String name, String paragraphId, String code) {
        return start(sessionId, name, paragraphId, code).join();
    }

    /** A paragraph run by {@code user} in a session another created: a shared setting's notes, as Zeppelin runs them. */
    Paragraph runAs(String user, String sessionId, String name, String paragraphId, String code) {
        String creator = users.put(sessionId, user);
        try {
            return run(sessionId, name, paragraphId, code);
        } finally {
            users.put(sessionId, creator);
        }
    }

    /** Runs a paragraph on a job thread of its own, as Zeppelin's scheduler does. */
    CompletableFuture<Paragraph> start(String sessionId, String name, String paragraphId, String code) {
        LazyOpenInterpreter interpreter = interpreter(sessionId, name);
        RecordedOutput output = new RecordedOutput();
        InterpreterContext context = context(sessionId, paragraphId, output);
        return CompletableFuture.supplyAsync(() -> {
            try {
                InterpreterContext.set(context);
                InterpreterResult result = interpreter.interpret(code, context);
                long ended = System.nanoTime();
                context.out.flush();
                List<InterpreterResultMessage> messages = new ArrayList<>(context.out.toInterpreterResultMessage());
                result.message().stream().filter(m -> !m.getData().isBlank()).forEach(messages::add);
                return new Paragraph(result, messages, output.arrivals(), ended);
            } catch (InterpreterException | IOException e) {
                throw new IllegalStateException(e);
            } finally {
                InterpreterContext.remove();
            }
        }, jobs);
    }

    int progress(String sessionId, String name, String paragraphId) throws InterpreterException {
        return interpreter(sessionId, name).getProgress(context(sessionId, paragraphId, new RecordedOutput()));
    }

    void cancel(String sessionId, String name, String paragraphId) throws InterpreterException {
        interpreter(sessionId, name).cancel(context(sessionId, paragraphId, new RecordedOutput()));
    }

    List<String> complete(String sessionId, String name, String code, int cursor) throws InterpreterException {
        return interpreter(sessionId, name).completion(code, cursor, context(sessionId, "completion", new RecordedOutput()))
                .stream().map(c -> c.getValue()).toList();
    }

    /** Closes every open interpreter of the session and removes it, as Zeppelin does when a note's session ends. */
    void closeSession(String sessionId) throws InterpreterException {
        List<Interpreter> interpreters = group.get(sessionId);
        for (Interpreter interpreter : interpreters) {
            interpreter.close();
        }
        interpreters.clear();
    }

    /** A paragraph's context: a per-note session is named after its note, any other after the paragraph's note. */
    private InterpreterContext context(String sessionId, String paragraphId, RecordedOutput output) {
        return InterpreterContext.builder()
                .setNoteId(sessionId.startsWith("note-") ? sessionId : "note-shared")
                .setParagraphId(paragraphId)
                .setAuthenticationInfo(new AuthenticationInfo(users.getOrDefault(sessionId, "anonymous")))
                .setLocalProperties(Map.of())
                .setInterpreterOut(output.out)
                .build();
    }

    @Override
    public void close() {
        for (List<Interpreter> session : group.values()) {
            for (Interpreter interpreter : session) {
                try {
                    interpreter.close();
                } catch (InterpreterException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        jobs.shutdownNow();
    }
}
