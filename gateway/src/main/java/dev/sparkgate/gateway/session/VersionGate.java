package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.driver.DriverRuntimes;
import dev.sparkgate.gateway.placement.ExecutorImage;
import dev.sparkgate.gateway.versions.VersionCheck;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.VersionVerdict;
import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.VersionRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Before a driver asks for executors: do its Spark and Python match the executor image? The verdict goes into the
 * session's log and view; a refusal ends the session in {@code error} (unless the user asked only to be warned);
 * where several driver Pythons could serve, the one that matches the image becomes the session's.
 */
final class VersionGate {

    private static final Logger LOG = LoggerFactory.getLogger(VersionGate.class);

    private final VersionCheck check;

    VersionGate(VersionCheck check) {
        this.check = check;
    }

    /** False when the session must not start; it has then been refused with the reason. */
    boolean admit(Session session, ExecutorImage image) {
        SessionSpec spec = session.spec();
        session.log().append("sparkgate: checking that image " + image.image()
                + " and this driver agree on Spark and Python");
        VersionRules.Judgement judgement;
        try {
            judgement = check.judge(spec.kind(), image.image(), image.namespace(), spec.sparkConf());
        } catch (RuntimeException e) {
            LOG.warn("session {}: version check failed: {}", session.id(), e.toString());
            session.refuse("the executor image's versions could not be learnt: " + e.getMessage());
            return false;
        }
        VersionVerdict verdict = judgement.verdict();
        if (verdict.refused() && session.terms().versionCheckWarnOnly()) {
            LOG.warn("session {}: version check refused, going on as {}=warn asks: {}", session.id(),
                    VersionCheck.OVERRIDE_CONF, verdict.summary());
            verdict = new VersionVerdict("overridden", verdict.summary(), verdict.notes(), verdict.driver(), verdict.image());
        }
        session.recordVersions(verdict);
        if (verdict.refused()) {
            session.refuse(verdict.summary());
            return false;
        }
        Map<String, String> conf = new LinkedHashMap<>(spec.sparkConf());
        if (judgement.python() != null && !spec.sparkConf().containsKey(DriverPython.DRIVER_PYTHON_CONF)) {
            conf.put(DriverPython.DRIVER_PYTHON_CONF, judgement.python().executable());
        }
        // The driver runs the runtime of the image's Spark line, whatever the session asked for.
        if (verdict.driver() != null && verdict.driver().sparkVersion() != null) {
            conf.put(DriverRuntimes.CHOICE_CONF, DriverRuntime.lineOf(verdict.driver().sparkVersion()));
        }
        if (!conf.equals(spec.sparkConf())) {
            session.updateSpec(new SessionSpec(spec.id(), spec.name(), spec.kind(), spec.owner(), conf,
                    spec.sqlRowCap(), spec.python()));
        }
        return true;
    }
}
