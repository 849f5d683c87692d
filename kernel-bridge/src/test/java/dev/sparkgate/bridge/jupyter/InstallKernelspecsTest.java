package dev.sparkgate.bridge.jupyter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstallKernelspecsTest {

    @TempDir
    Path jupyter;

    @Test
    void eachKindGetsAKernelspecThatLaunchesTheKernelForThisGateway() throws Exception {
        List<Path> installed = InstallKernelspecs.install(InstallKernelspecs.Options.parse(new String[] {
                "--gateway", "http://sparkgate:8998/", "--token", "s3cret", "--prefix", jupyter.toString(),
                "--kinds", "scala,sql", "--classpath", "/opt/kernel/k.jar:/opt/kernel/lib/*"}, Map.of()));

        Path kernels = jupyter.resolve("share/jupyter/kernels");
        assertThat(installed).containsExactly(kernels.resolve("sparkgate_scala"), kernels.resolve("sparkgate_sql"));
        JsonNode scala = Json.MAPPER.readTree(kernels.resolve("sparkgate_scala/kernel.json").toFile());
        assertThat(scala.path("language").asText()).isEqualTo("scala");
        assertThat(scala.path("interrupt_mode").asText()).isEqualTo("message");
        assertThat(scala.path("argv").toString()).contains("\"-cp\",\"/opt/kernel/k.jar:/opt/kernel/lib/*\"",
                "\"dev.sparkgate.bridge.jupyter.KernelMain\",\"{connection_file}\"");
        assertThat(scala.path("env").path("SPARKGATE_GATEWAY_URL").asText()).isEqualTo("http://sparkgate:8998");
        assertThat(scala.path("env").path("SPARKGATE_KERNEL_KIND").asText()).isEqualTo("spark");
        assertThat(scala.path("env").path("SPARKGATE_TOKEN").asText()).isEqualTo("s3cret");
        assertThat(Files.getPosixFilePermissions(kernels.resolve("sparkgate_scala/kernel.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(kernels.resolve("sparkgate_sql/logo-svg.svg")).exists();
    }

    @Test
    void theUsersDataDirectoryIsJupytersOwn() {
        var options = InstallKernelspecs.Options.parse(new String[] {"--gateway", "http://gw:8998"},
                Map.of("JUPYTER_DATA_DIR", jupyter.toString()));

        assertThat(options.dataDir()).isEqualTo(jupyter.toAbsolutePath());
        assertThat(options.specs()).extracting(s -> s.name())
                .containsExactly("sparkgate_pyspark", "sparkgate_scala", "sparkgate_sql");
    }

    @Test
    void mistakesAreNamedWithWhatToWriteInstead() {
        assertThatThrownBy(() -> InstallKernelspecs.Options.parse(new String[] {"--gateway", "gw:8998"}, Map.of()))
                .hasMessageContaining("--gateway must be the gateway's URL, like http://localhost:8998");
        assertThatThrownBy(() -> InstallKernelspecs.Options.parse(
                new String[] {"--gateway", "http://gw", "--kinds", "r"}, Map.of()))
                .hasMessageContaining("'r' is not one of pyspark, scala, sql");
        assertThatThrownBy(() -> InstallKernelspecs.Options.parse(
                new String[] {"--gateway", "http://gw", "--user", "--prefix", "/x"}, Map.of()))
                .hasMessageContaining("one of --user, --prefix and --data-dir");
    }
}
