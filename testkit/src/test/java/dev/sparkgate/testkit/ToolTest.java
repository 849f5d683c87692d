package dev.sparkgate.testkit;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolTest {

    private static final Tool ABSENT = Tool.executable("the frobnicator", Path.of("/nonexistent/frobnicator"),
            "apt-get install -y frobnicator");

    @Test
    void aMissingToolSkipsTheTestNamingWhatToInstall() {
        // given a machine without the tool and the switch off (a developer's machine)
        // when a test requires it
        // then the test is aborted, which JUnit reports as skipped, with one line that says what to install
        assertThatThrownBy(() -> ABSENT.require(false))
                .isInstanceOf(TestAbortedException.class)
                .isInstanceOf(MissingTool.class)
                .hasMessage("needs the frobnicator (/nonexistent/frobnicator is not there); "
                        + "install: apt-get install -y frobnicator");
    }

    @Test
    void withTheSwitchOnAMissingToolFailsTheTest() {
        // given the switch on (CI, where every tool is installed)
        // when a test requires a tool this machine lacks
        // then it fails, not skips, still saying what to install
        assertThatThrownBy(() -> ABSENT.require(true))
                .isInstanceOf(AssertionFailedError.class)
                .isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install -y frobnicator")
                .hasMessageContaining(ToolSwitch.VARIABLE + "=true");
    }

    @Test
    void aPresentToolLetsTheTestRunEitherWay() {
        Tool java = Tool.executable("java", Path.of(System.getProperty("java.home"), "bin", "java"), "a JDK");

        assertThatCode(() -> java.require(false)).doesNotThrowAnyException();
        assertThatCode(() -> java.require(true)).doesNotThrowAnyException();
        assertThat(java.isPresent()).isTrue();
        assertThat(ABSENT.isPresent()).isFalse();
    }

    @Test
    void aCommandIsLookedForOnThePath() {
        assertThat(Tool.command("sh", "apt-get install -y dash").isPresent()).isTrue();
        assertThat(Tool.command("no-such-command-anywhere", "nothing installs it").probe().problem())
                .contains("no-such-command-anywhere is not on the PATH");
    }

    @Test
    void aPythonWithoutTheModulesSaysWhichItCannotImport() {
        Tool python = Tool.pythonModules("frobnicate for a Python", Path.of("/nonexistent/python3"),
                List.of("frobnicate"), "apt-get install -y python3-frobnicate");

        assertThat(python.probe().problem()).contains("/nonexistent/python3 is not there");
    }
}
