package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session's confs: the operator's defaults, under the user's, under Livy's resource fields. */
class SessionConfTest {

    @Test
    void theUsersConfsGoOverTheOperatorsAndLivysFieldsOverBoth() {
        SessionRequest request = new SessionRequest(Kind.spark, null, null, null,
                Map.of("spark.executor.memory", "2g", "spark.sql.shuffle.partitions", "8"), "3g", 2, "4g", null, 3,
                List.of("a.jar", "b.jar"), List.of(), List.of(), List.of(), null, null, null, Sharing.NONE);

        SessionConf conf = SessionConf.of(request, Map.of("spark.sql.shuffle.partitions", "4", "spark.ui.enabled", "true"));

        assertThat(conf.sparkConf())
                .containsEntry("spark.ui.enabled", "true")
                .containsEntry("spark.sql.shuffle.partitions", "8")
                .containsEntry("spark.executor.memory", "4g")
                .containsEntry("spark.executor.instances", "3")
                .containsEntry("spark.driver.cores", "2")
                .containsEntry("spark.driver.memory", "3g")
                .containsEntry("spark.jars", "a.jar,b.jar")
                .doesNotContainKeys("spark.executor.cores", "spark.submit.pyFiles", "spark.files", "spark.archives");
        assertThat(conf.versionCheckWarnOnly()).isFalse();
    }

    @Test
    void theVersionCheckSettingIsTakenOutAndNeverReachesSpark() {
        SessionRequest warn = withConf(Map.of("sparkgate.versionCheck", "warn"));
        SessionRequest enforce = withConf(Map.of("sparkgate.versionCheck", "enforce"));

        assertThat(SessionConf.of(warn, Map.of()).versionCheckWarnOnly()).isTrue();
        assertThat(SessionConf.of(warn, Map.of()).sparkConf()).doesNotContainKey("sparkgate.versionCheck");
        assertThat(SessionConf.of(enforce, Map.of()).versionCheckWarnOnly()).isFalse();
    }

    @Test
    void anUnknownVersionCheckSettingIsRefusedNamingTheTwoThatExist() {
        assertThatThrownBy(() -> SessionConf.of(withConf(Map.of("sparkgate.versionCheck", "off")), Map.of()))
                .isInstanceOf(BadRequest.class).hasMessageContaining("'enforce'").hasMessageContaining("'warn'");
    }

    private static SessionRequest withConf(Map<String, String> conf) {
        return new SessionRequest(Kind.sql, null, null, null, conf, null, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), null, null, null, Sharing.NONE);
    }
}
