package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.jupyter.KernelSpec;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs the Sparkgate kernelspecs (PySpark, Scala and SQL on Sparkgate) for one gateway:
 *
 * <pre>
 * java -cp 'sparkgate-kernel-bridge.jar:lib/*' dev.sparkgate.bridge.jupyter.InstallKernelspecs \
 *      --gateway http://sparkgate:8998 [--token T] [--user | --prefix DIR | --data-dir DIR]
 *      [--kinds pyspark,scala,sql] [--session NAME] [--session-conf k=v,...]
 * </pre>
 *
 * Each kernelspec runs {@link KernelMain} with this very JVM and classpath, so the jar and its {@code lib/} must stay
 * where they are.
 */
public final class InstallKernelspecs {

    static final String USAGE = """
            usage: InstallKernelspecs --gateway URL [options]
              --gateway URL        the Sparkgate gateway, e.g. http://sparkgate.example.com:8998
              --token TOKEN        the gateway's token (default: $SPARKGATE_TOKEN); stored in kernel.json, readable by you only
              --user               install for this user (the default): the user's Jupyter data directory
              --prefix DIR         install into DIR/share/jupyter, as 'jupyter kernelspec install --prefix' does
              --data-dir DIR       install into the Jupyter data directory DIR (DIR/kernels/...)
              --kinds LIST         which kernels, of pyspark, scala (or spark), sql; default all three
              --session NAME       attach to the session of this name (created if missing) instead of a new one
              --session-conf CONF  Spark confs for new sessions, key=value separated by commas
              --java PATH          the java to run kernels with (default: the one running this)
              --classpath CP       the kernels' classpath (default: this jar and the lib/ beside it)
            """;

    private InstallKernelspecs() {
    }

    public static void main(String[] args) {
        try {
            for (Path installed : install(Options.parse(args, System.getenv()))) {
                System.out.println("Installed " + installed);
            }
            System.out.println("See them with: jupyter kernelspec list");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("Could not write the kernelspecs: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Writes one kernelspec directory per kind; returns them. */
    static List<Path> install(Options options) throws IOException {
        List<Path> installed = new ArrayList<>();
        for (KernelSpec spec : options.specs()) {
            Path dir = options.dataDir().resolve("kernels").resolve(spec.name());
            Files.createDirectories(dir);
            Path kernelJson = dir.resolve("kernel.json");
            Files.writeString(kernelJson, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(spec.kernelJson(argv(options), env(options, spec))));
            if (options.token() != null) {
                ownerOnly(kernelJson);
            }
            Files.writeString(dir.resolve("logo-svg.svg"), KernelSpec.LOGO_SVG);
            installed.add(dir);
        }
        return installed;
    }

    private static List<String> argv(Options options) {
        // A thin client: a small heap and a quick start matter more than peak speed.
        return List.of(options.java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", options.classpath(), KernelMain.class.getName(), "{connection_file}");
    }

    private static Map<String, String> env(Options options, KernelSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(KernelConfig.GATEWAY_URL, options.gateway());
        env.put(KernelConfig.KIND, spec.kind().name());
        if (options.token() != null) {
            env.put(KernelConfig.TOKEN, options.token());
        }
        if (options.session() != null) {
            env.put(KernelConfig.SESSION_NAME, options.session());
        }
        if (options.sessionConf() != null) {
            env.put(KernelConfig.SESSION_CONF, options.sessionConf());
        }
        return env;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is private already
        }
    }

    /** The command line, checked. */
    record Options(String gateway, String token, Path dataDir, List<KernelSpec> specs, String session,
                   String sessionConf, String java, String classpath) {

        static Options parse(String[] args, Map<String, String> env) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> flags = List.of("--user", "--help");
            List<String> valued = List.of("--gateway", "--token", "--prefix", "--data-dir", "--kinds", "--session",
                    "--session-conf", "--java", "--classpath");
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (flags.contains(arg)) {
                    values.put(arg, "");
                } else if (valued.contains(arg) && i + 1 < args.length) {
                    values.put(arg, args[++i]);
                } else {
                    throw new IllegalArgumentException(valued.contains(arg) ? arg + " needs a value."
                            : "Unknown option '" + arg + "'.");
                }
            }
            if (values.containsKey("--help")) {
                throw new IllegalArgumentException("Installs Jupyter kernelspecs that run notebooks on Sparkgate.");
            }
            String gateway = values.get("--gateway");
            if (gateway == null || !gateway.matches("https?://.+")) {
                throw new IllegalArgumentException("--gateway must be the gateway's URL, like http://localhost:8998"
                        + (gateway == null ? "." : ", not '" + gateway + "'."));
            }
            if (values.containsKey("--session-conf")) {
                KernelConfig.parseConf(values.get("--session-conf"));
            }
            long targets = List.of("--user", "--prefix", "--data-dir").stream().filter(values::containsKey).count();
            if (targets > 1) {
                throw new IllegalArgumentException("Give one of --user, --prefix and --data-dir.");
            }
            Path dataDir = values.containsKey("--prefix")
                    ? Path.of(values.get("--prefix"), "share", "jupyter").toAbsolutePath()
                    : values.containsKey("--data-dir") ? Path.of(values.get("--data-dir")).toAbsolutePath()
                    : JupyterPaths.userDataDir(env);
            String token = values.getOrDefault("--token", env.get(KernelConfig.TOKEN));
            return new Options(gateway.replaceAll("/+$", ""), token == null || token.isBlank() ? null : token,
                    dataDir, specs(values.getOrDefault("--kinds", "pyspark,spark,sql")), values.get("--session"),
                    values.get("--session-conf"),
                    values.getOrDefault("--java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                    values.getOrDefault("--classpath", defaultClasspath()));
        }

        private static List<KernelSpec> specs(String kinds) {
            List<KernelSpec> specs = new ArrayList<>();
            for (String name : kinds.split(",")) {
                Kind kind = Kind.parse(name).filter(k -> k != Kind.shared).orElseThrow(() ->
                        new IllegalArgumentException("--kinds: '" + name.strip() + "' is not one of pyspark, scala, sql."));
                specs.add(KernelSpec.forKind(kind));
            }
            return specs.stream().distinct().toList();
        }

        /** This jar and every jar in the {@code lib/} beside it; from an IDE or a build, this JVM's classpath. */
        private static String defaultClasspath() {
            try {
                Path self = Path.of(InstallKernelspecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path lib = self.resolveSibling("lib");
                if (Files.isRegularFile(self) && Files.isDirectory(lib)) {
                    return self.toAbsolutePath() + File.pathSeparator + lib.toAbsolutePath() + File.separator + "*";
                }
            } catch (URISyntaxException | SecurityException e) {
                // fall back to this JVM's own classpath
            }
            return String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path")
                    .split(File.pathSeparator)).map(p -> Path.of(p).toAbsolutePath().toString()).toList());
        }
    }
}
