package dev.sparkgate.versions;

/** A driver Python the gateway may run a session with, as its probe found it. */
public record PythonCandidate(String executable, String pythonVersion, String pysparkVersion) {

    public static PythonCandidate of(DriverPython python) {
        return new PythonCandidate(python.executable(), python.pythonVersion(), python.pysparkVersion().orElse(null));
    }
}
