package dev.sparkgate.bridge.zeppelin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import org.apache.zeppelin.common.JsonSerializable;
import org.apache.zeppelin.interpreter.Interpreter;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One interpreter of an installed interpreter directory, loaded as Zeppelin's interpreter process loads it: Zeppelin's
 * interpreter API and slf4j come from Zeppelin's own class loader, everything else from the directory's jars alone,
 * found through the directory's {@code interpreter-setting.json}. None of this test's classes are visible to it, so
 * it is driven by reflection, in the same steps as {@link ZeppelinInterpreterProcess}.
 */
final class InstalledInterpreter implements AutoCloseable {

    /** A paragraph's result code, and each message of its output as {@code TYPE:data}. */
    record Paragraph(String code, List<String> messages) {
    }

    /** Classes whose jars Zeppelin puts on every interpreter's classpath (its API, what the API needs, slf4j). */
    private static final List<Class<?>> ZEPPELIN_PROVIDES = List.of(Interpreter.class, JsonSerializable.class,
            org.apache.commons.lang3.StringUtils.class, com.google.gson.Gson.class, org.apache.thrift.TBase.class,
            LoggerFactory.class);

    private final ClassLoader zeppelin;
    private final Object interpreter;

    private InstalledInterpreter(ClassLoader zeppelin, Object interpreter) {
        this.zeppelin = zeppelin;
        this.interpreter = interpreter;
    }

    static InstalledInterpreter load(Path interpreterDir, String name, Properties setting) throws Exception {
        URLClassLoader zeppelin = new URLClassLoader(ZEPPELIN_PROVIDES.stream().map(InstalledInterpreter::jarOf)
                .distinct().toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        URLClassLoader installed = new URLClassLoader(jarsIn(interpreterDir), zeppelin);

        Object inner = installed.loadClass(className(interpreterDir, name))
                .getConstructor(Properties.class).newInstance(setting);
        Class<?> api = zeppelin.loadClass("org.apache.zeppelin.interpreter.Interpreter");
        Class<?> groupClass = zeppelin.loadClass("org.apache.zeppelin.interpreter.InterpreterGroup");
        Object group = groupClass.getConstructor(String.class).newInstance("sparkgate-shared_process");
        api.getMethod("setInterpreterGroup", groupClass).invoke(inner, group);
        Object lazy = zeppelin.loadClass("org.apache.zeppelin.interpreter.LazyOpenInterpreter")
                .getConstructor(api).newInstance(inner);
        groupClass.getMethod("addInterpreterToSession", api, String.class).invoke(group, lazy, "shared_session");
        return new InstalledInterpreter(zeppelin, lazy);
    }

    Paragraph run(String code) throws Exception {
        Class<?> outputClass = zeppelin.loadClass("org.apache.zeppelin.interpreter.InterpreterOutput");
        Class<?> contextClass = zeppelin.loadClass("org.apache.zeppelin.interpreter.InterpreterContext");
        Object out = outputClass.getConstructor().newInstance();
        Object builder = contextClass.getMethod("builder").invoke(null);
        Class<?> builderClass = builder.getClass();
        builderClass.getMethod("setNoteId", String.class).invoke(builder, "note-installed");
        builderClass.getMethod("setParagraphId", String.class).invoke(builder, "paragraph-installed");
        builderClass.getMethod("setInterpreterOut", outputClass).invoke(builder, out);
        Object context = builderClass.getMethod("build").invoke(builder);

        Object result = interpreter.getClass().getMethod("interpret", String.class, contextClass)
                .invoke(interpreter, code, context);

        List<String> messages = new ArrayList<>();
        outputClass.getMethod("flush").invoke(out);
        List<?> written = (List<?>) outputClass.getMethod("toInterpreterResultMessage").invoke(out);
        List<?> returned = (List<?>) result.getClass().getMethod("message").invoke(result);
        for (Object message : Stream.concat(written.stream(), returned.stream()).toList()) {
            messages.add(message.getClass().getMethod("getType").invoke(message) + ":"
                    + message.getClass().getMethod("getData").invoke(message));
        }
        return new Paragraph(result.getClass().getMethod("code").invoke(result).toString(), messages);
    }

    Integer gatewaySessionId() throws Exception {
        Object inner = interpreter.getClass().getMethod("getInnerInterpreter").invoke(interpreter);
        Method id = inner.getClass().getSuperclass().getDeclaredMethod("gatewaySessionId");
        id.setAccessible(true);
        return (Integer) id.invoke(inner);
    }

    @Override
    public void close() throws Exception {
        interpreter.getClass().getMethod("close").invoke(interpreter);
    }

    /** Zeppelin's first choice: the setting file in the interpreter's directory. */
    private static String className(Path interpreterDir, String name) throws IOException {
        for (JsonNode entry : Json.MAPPER.readTree(interpreterDir.resolve("interpreter-setting.json").toFile())) {
            if (entry.path("name").asText().equals(name)) {
                return entry.path("className").asText();
            }
        }
        throw new IllegalArgumentException("no interpreter '" + name + "' in " + interpreterDir);
    }

    private static URL[] jarsIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".jar")).map(InstalledInterpreter::url)
                    .toArray(URL[]::new);
        }
    }

    private static URL jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static URL url(Path file) {
        try {
            return file.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
