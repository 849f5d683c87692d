package dev.sparkgate.testkit;

import java.util.Locale;

/**
 * Whether a missing tool skips a test (a developer's bare machine) or fails it (CI, where {@code .ci/run} installs
 * every tool and a test that does not run tests nothing). On with env {@value #VARIABLE}{@code =true} or, for one
 * Maven run, {@code -D}{@value #PROPERTY}{@code =true}: surefire hands Maven's command-line properties to the test JVM
 * as system properties, so no pom has to pass it on.
 */
public final class ToolSwitch {

    public static final String VARIABLE = "SPARKGATE_REQUIRE_TOOLS";
    public static final String PROPERTY = "sparkgate.requireTools";

    private ToolSwitch() {
    }

    /** True when a missing tool must fail the test. */
    public static boolean toolsRequired() {
        return isTrue(System.getProperty(PROPERTY)) || isTrue(System.getenv(VARIABLE));
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
