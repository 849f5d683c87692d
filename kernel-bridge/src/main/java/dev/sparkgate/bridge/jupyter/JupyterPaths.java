package dev.sparkgate.bridge.jupyter;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where Jupyter looks for a user's kernelspecs, as {@code jupyter --data-dir} says on each system. */
final class JupyterPaths {

    private JupyterPaths() {
    }

    static Path userDataDir(Map<String, String> env) {
        if (env.get("JUPYTER_DATA_DIR") != null) {
            return Path.of(env.get("JUPYTER_DATA_DIR")).toAbsolutePath();
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Jupyter");
        }
        if (os.contains("win")) {
            return Path.of(env.getOrDefault("APPDATA", Path.of(home, "AppData", "Roaming").toString()), "jupyter");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg == null || xdg.isBlank() ? Path.of(home, ".local", "share") : Path.of(xdg)).resolve("jupyter");
    }
}
