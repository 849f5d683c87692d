package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.bridge.testing.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged interpreter, installed as the README says: {@code target/zeppelin-interpreter/sparkgate/} copied into
 * Zeppelin's {@code interpreter/} folder, then run in class loaders laid out as Zeppelin's interpreter process lays
 * them out ({@link InstalledInterpreter}).
 */
class ZeppelinInstallTest {

    private static final Path PACKAGED = Path.of("target", "zeppelin-interpreter", "sparkgate");
    private static final String TOKEN = "install-token";

    private static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayProcess.start(Map.of("SPARKGATE_TOKEN", TOKEN));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theDirectoryHoldsTheSettingTheInterpreterJarAndItsLibrariesButNothingZeppelinBrings() throws IOException {
        List<String> files = fileNames(PACKAGED);

        assertThat(files).contains("interpreter-setting.json", "sparkgate-kernel-bridge-zeppelin.jar")
                .anyMatch(name -> name.startsWith("sparkgate-protocol-"))
                .anyMatch(name -> name.startsWith("jackson-databind-2.15."))
                .anyMatch(name -> name.startsWith("Java-WebSocket-"))
                .noneMatch(name -> name.startsWith("slf4j") || name.startsWith("zeppelin-"));
        try (JarFile jar = new JarFile(PACKAGED.resolve("sparkgate-kernel-bridge-zeppelin.jar").toFile());
             InputStream inJar = jar.getInputStream(jar.getEntry("interpreter-setting.json"))) {
            assertThat(inJar.readAllBytes()).isEqualTo(Files.readAllBytes(PACKAGED.resolve("interpreter-setting.json")));
        }
    }

    @Test
    void copiedIntoZeppelinsInterpreterFolderItRunsAParagraphAndClosingDeletesItsSession(@TempDir Path zeppelinHome)
            throws Exception {
        // given Zeppelin with the directory copied into its interpreter folder, and the setting's address and token
        Path installed = copy(PACKAGED, zeppelinHome.resolve("interpreter").resolve("sparkgate"));
        Properties setting = ZeppelinInterpreterTest.setting(gateway.uri().toString(), TOKEN);

        // when a note runs a %sparkgate.sql paragraph, then the interpreter process closes the interpreter
        InstalledInterpreter.Paragraph paragraph;
        Integer sessionId;
        try (InstalledInterpreter sql = InstalledInterpreter.load(installed, "sql", setting)) {
            paragraph = sql.run("SELECT 1 AS one");
            sessionId = sql.gatewaySessionId();
        }

        // then the paragraph's result is a table, and the gateway session is gone
        assertThat(paragraph.code()).isEqualTo("SUCCESS");
        assertThat(paragraph.messages()).containsExactly("TABLE:one\n1\n");
        assertThat(new GatewayClient(gateway.uri(), TOKEN).findSession(String.valueOf(sessionId))).isNull();
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
