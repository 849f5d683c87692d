package dev.sparkgate.gateway.placement;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** A driver inherits what it needs to run of the gateway's environment, and none of the gateway's keys. */
class DriverEnvironmentTest {

    @Test
    void whatADriverNeedsToRunPasses() {
        Map<String, String> gateway = Map.ofEntries(
                entry("PATH", "/usr/bin:/bin"), entry("HOME", "/home/ada"), entry("USER", "ada"),
                entry("LOGNAME", "ada"), entry("TMPDIR", "/tmp"), entry("LANG", "C.UTF-8"), entry("LC_ALL", "C.UTF-8"),
                entry("LC_CTYPE", "C.UTF-8"), entry("TZ", "UTC"), entry("JAVA_HOME", "/usr/lib/jvm/java-17"),
                entry("SPARK_HOME", "/opt/spark"), entry("SPARK_LOCAL_IP", "10.0.0.5"),
                entry("PYSPARK_PYTHON", "/venv/bin/python"), entry("PYSPARK_DRIVER_PYTHON", "/venv/bin/python"),
                entry("PYTHONPATH", "/opt/lib"), entry("MPLBACKEND", "agg"),
                entry("SPARKGATE_DRIVER_CONNECT_TIMEOUT", "10s"), entry("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "10m"));

        assertThat(DriverEnvironment.inherited(gateway)).isEqualTo(gateway);
    }

    @Test
    void theGatewaysKeysAndEverythingUnnamedStayBehind() {
        Map<String, String> gateway = Map.ofEntries(
                entry("PATH", "/usr/bin"),
                entry("SPARKGATE_TOKEN", "admin-token"),
                entry("SPARKGATE_SESSION_SECRET", "another-sessions-secret"),
                entry("SPARKGATE_SESSION_SECRET_FILE", "/work/session-3/session.secret"),
                entry("KUBECONFIG", "/home/ada/.kube/config"),
                entry("AWS_ACCESS_KEY_ID", "AKIA"), entry("AWS_SECRET_ACCESS_KEY", "aws-secret"),
                entry("GOOGLE_APPLICATION_CREDENTIALS", "/keys/gcp.json"),
                entry("AZURE_CLIENT_SECRET", "azure-secret"),
                entry("VAULT_TOKEN", "vault-token"),
                entry("GITHUB_TOKEN", "ghp"),
                entry("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                // a name that only starts like an allowed one is another name
                entry("PATHS_TO_KEYS", "/keys"), entry("HOMEBREW_GITHUB_API_TOKEN", "t"));

        assertThat(DriverEnvironment.inherited(gateway)).containsExactly(entry("PATH", "/usr/bin"));
    }
}
