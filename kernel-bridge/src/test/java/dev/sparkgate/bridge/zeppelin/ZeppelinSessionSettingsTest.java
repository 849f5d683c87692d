package dev.sparkgate.bridge.zeppelin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sparkgate interpreter setting, as Zeppelin hands it over: string properties, empty where unset. */
class ZeppelinSessionSettingsTest {

    @Test
    void theDefaultSettingAsksTheLocalGatewayForASharedSession() {
        SessionSettings settings = SessionSettings.from(ZeppelinInterpreterProcess.defaults());

        assertThat(settings.gatewayUrl()).hasToString("http://localhost:8998");
        assertThat(settings.token()).isNull();
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(settings.retry().giveUpAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.sessionRequest()).isEqualTo(Map.of("kind", "shared", "conf", Map.of()));
    }

    @Test
    void sparkPropertiesAreTheSessionsConfsAndDriverMemorySizesItsDriver() {
        Properties setting = ZeppelinInterpreterProcess.defaults();
        setting.setProperty("spark.driver.memory", "2g");
        setting.setProperty("spark.executor.instances", "2");
        setting.setProperty("spark.sql.shuffle.partitions", " 8 ");
        setting.setProperty(SessionSettings.IDLE_TIMEOUT, "2h");
        setting.setProperty(SessionSettings.TOKEN, "secret");
        setting.setProperty(SessionSettings.RECONNECT_TIMEOUT, "90");

        SessionSettings settings = SessionSettings.from(setting);

        assertThat(settings.token()).isEqualTo("secret");
        assertThat(settings.retry().giveUpAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.sessionRequest()).isEqualTo(Map.of("kind", "shared", "driverMemory", "2g",
                "idleTimeout", "2h", "conf", Map.of("spark.executor.instances", "2", "spark.sql.shuffle.partitions", "8")));
    }

    @Test
    void aSettingThatCannotWorkNamesThePropertyAndAValueThatWould() {
        Properties badTimeout = ZeppelinInterpreterProcess.defaults();
        badTimeout.setProperty(SessionSettings.START_TIMEOUT, "3 minutes");
        Properties badReconnect = ZeppelinInterpreterProcess.defaults();
        badReconnect.setProperty(SessionSettings.RECONNECT_TIMEOUT, "-1");
        Properties badUrl = ZeppelinInterpreterProcess.defaults();
        badUrl.setProperty(SessionSettings.URL, "ftp://gateway");

        assertThatThrownBy(() -> SessionSettings.from(badTimeout)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SessionSettings.START_TIMEOUT).hasMessageContaining("180");
        assertThatThrownBy(() -> SessionSettings.from(badReconnect)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SessionSettings.RECONNECT_TIMEOUT).hasMessageContaining("30");
        assertThatThrownBy(() -> SessionSettings.from(badUrl)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SessionSettings.URL).hasMessageContaining("http://localhost:8998");
    }
}
