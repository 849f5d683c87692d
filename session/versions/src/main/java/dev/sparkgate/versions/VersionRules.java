package dev.sparkgate.versions;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.VersionVerdict;
import dev.sparkgate.protocol.VersionVerdict.DriverSide;
import dev.sparkgate.protocol.VersionVerdict.ImageSide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether a driver and an executor image can run one session, decided before any executor is asked for.
 *
 * <ul>
 *   <li>Spark major.minor must be equal on both sides (serialized classes and the RPC protocol change between
 *       minors); a patch difference is a warning.</li>
 *   <li>Sessions that run Python: the driver Python's major.minor must equal the image's (PySpark refuses a worker
 *       of another Python at the first task), and the driver's PySpark must be of the driver's Spark minor. Among
 *       several driver Pythons, the one that fits is chosen.</li>
 *   <li>Scala and SQL sessions run no Python on executors: Python is not compared.</li>
 *   <li>Where the driver runs the image itself (pod placement), the image's Java must be at least the Java that
 *       Sparkgate's driver runtime is built for; an image whose Java is not declared is not compared (a note says
 *       so).</li>
 * </ul>
 */
public final class VersionRules {

    /** The verdict, and the driver Python chosen for the session (null when none is needed or none fits). */
    public record Judgement(VersionVerdict verdict, PythonCandidate python) {
    }

    private static final Pattern JAVA_VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?.*");

    private VersionRules() {
    }

    /**
     * The judgement for a gateway that carries a driver runtime per Spark line ({@code runtimeSparks}, oldest first):
     * the runtime of the image's Spark minor is the driver's, judged as below; an image of a minor no runtime serves
     * is refused naming the image, its Spark and the runtimes there are.
     */
    public static Judgement judge(Kind kind, List<String> runtimeSparks, List<PythonCandidate> pythons, ImageSide image) {
        return judge(kind, runtimeSparks, 0, pythons, image);
    }

    /** As above, for a driver that runs on the image's Java, which must be {@code driverJava} or newer. */
    public static Judgement judge(Kind kind, List<String> runtimeSparks, int driverJava, List<PythonCandidate> pythons,
                                  ImageSide image) {
        Version imageSpark = Version.parse(image.sparkVersion());
        String newest = runtimeSparks.get(runtimeSparks.size() - 1);
        if (runtimeSparks.size() == 1 || imageSpark == null) {
            return judge(kind, newest, driverJava, pythons, image);
        }
        for (String runtime : runtimeSparks) {
            if (Version.parse(runtime).sameMinor(imageSpark)) {
                return judge(kind, runtime, driverJava, pythons, image);
            }
        }
        // The driver side names the nearest runtime: the one an expert's override (sparkgate.versionCheck=warn) runs.
        return refused("Image " + image.image() + " has Spark " + imageSpark + ", which no driver runtime of this "
                        + "gateway serves: the runtimes run Spark " + String.join(" and ", runtimeSparks)
                        + ". Use an image of one of those lines (for example apache/spark:" + newest + ").",
                new ArrayList<>(), new DriverSide(nearest(runtimeSparks, imageSpark), null, null, null,
                        pythons.stream().map(p -> p.executable() + " (" + p.pythonVersion() + ")").toList()), image);
    }

    /** The runtime closest to {@code imageSpark}: of its major, the nearest minor; else the newest. */
    static String nearest(List<String> runtimeSparks, Version imageSpark) {
        return runtimeSparks.stream().filter(runtime -> Version.parse(runtime).major() == imageSpark.major())
                .min(java.util.Comparator.comparingInt(runtime -> Math.abs(Version.parse(runtime).minor() - imageSpark.minor())))
                .orElse(runtimeSparks.get(runtimeSparks.size() - 1));
    }

    /** For a driver that does not run the image's Java (beside the gateway): Java is not compared. */
    public static Judgement judge(Kind kind, String driverSpark, List<PythonCandidate> pythons, ImageSide image) {
        return judge(kind, driverSpark, 0, pythons, image);
    }

    /**
     * {@code driverJava}: the Java release the driver runtime needs when the driver runs on the image's Java, or 0
     * when it runs on a Java of its own.
     */
    public static Judgement judge(Kind kind, String driverSpark, int driverJava, List<PythonCandidate> pythons,
                                  ImageSide image) {
        List<String> notes = new ArrayList<>();
        Version driver = Version.parse(driverSpark);
        Version imageSpark = Version.parse(image.sparkVersion());
        String available = describe(pythons);
        List<String> availableList = pythons.stream().map(p -> p.executable() + " (" + p.pythonVersion() + ")").toList();

        if (imageSpark == null) {
            return refused("Image " + image.image() + " has no Spark we could find (" + image.sparkVersion()
                    + "); the drivers run Spark " + driver + ": use a Spark " + driver.minorLine() + " image.",
                    notes, new DriverSide(driverSpark, null, null, null, availableList), image);
        }
        if (!driver.sameMinor(imageSpark)) {
            return refused("Image " + image.image() + " has Spark " + imageSpark + ", the drivers run Spark " + driver
                    + ": use an image of Spark " + driver.minorLine() + " (for example apache/spark:" + driver
                    + "), or a gateway whose Spark is " + imageSpark.minorLine() + " (SPARKGATE_SPARK_JARS).",
                    notes, new DriverSide(driverSpark, null, null, null, availableList), image);
        }
        if (driverJava > 0) {
            Optional<String> javaProblem = javaProblem(image, driver, driverJava, notes);
            if (javaProblem.isPresent()) {
                return refused(javaProblem.get(), notes, new DriverSide(driverSpark, null, null, null, availableList),
                        image);
            }
        }
        if (driver.patch() != imageSpark.patch()) {
            notes.add("Spark patch versions differ (driver " + driver + ", image " + imageSpark
                    + "): they work together; the same release is safest.");
        }

        if (kind == Kind.spark || kind == Kind.sql) {
            notes.add("A " + kind + " session runs no Python on executors, so Python versions were not compared.");
            String verdict = driver.patch() != imageSpark.patch() ? "warning" : "ok";
            return verdict(verdict, "Spark " + imageSpark + " in " + image.image()
                    + " matches the drivers' Spark " + driver + ".", notes,
                    new DriverSide(driverSpark, null, null, null, availableList), image, null);
        }

        Version imagePython = Version.parse(image.pythonVersion());
        boolean pythonRequired = kind == Kind.pyspark;
        if (imagePython == null) {
            String problem = "Image " + image.image() + " has no Python, so Python code cannot run on its executors: "
                    + "use a Spark image with Python (an apache/spark ...-python3 tag).";
            if (pythonRequired) {
                return refused(problem, notes, new DriverSide(driverSpark, null, null, null, availableList), image);
            }
            notes.add(problem + " Scala and SQL statements are not affected.");
            return verdict("warning", problem, notes, new DriverSide(driverSpark, null, null, null, availableList), image, null);
        }

        Optional<PythonCandidate> fitting = pythons.stream()
                .filter(p -> imagePython.sameMinor(Version.parse(p.pythonVersion())))
                .filter(p -> p.pysparkVersion() == null || driver.sameMinor(Version.parse(p.pysparkVersion())))
                // A Python that can import PySpark beats one that cannot; then the first the operator listed.
                .min(Comparator.comparing(p -> p.pysparkVersion() == null));
        if (fitting.isPresent()) {
            PythonCandidate chosen = fitting.get();
            if (chosen.pysparkVersion() == null) {
                notes.add("The chosen driver Python " + chosen.executable() + " has no PySpark: for spark and sc in "
                        + "Python, install pyspark==" + driver + " into it, or set SPARK_HOME to a Spark "
                        + driver.minorLine() + " distribution.");
            }
            DriverSide side = new DriverSide(driverSpark, chosen.executable(), chosen.pythonVersion(),
                    chosen.pysparkVersion(), availableList);
            return verdict(notes.stream().anyMatch(n -> n.startsWith("Spark patch")) ? "warning" : "ok",
                    "Spark " + imageSpark + " and Python " + imagePython + " in " + image.image() + " match the driver's "
                            + "Spark " + driver + " and Python " + chosen.pythonVersion() + " (" + chosen.executable() + ").",
                    notes, side, image, chosen);
        }

        String problem = mismatch(image, imagePython, driver, pythons, available);
        DriverSide side = new DriverSide(driverSpark, null, null, null, availableList);
        if (pythonRequired) {
            return refused(problem, notes, side, image);
        }
        notes.add(problem + " Scala and SQL statements are not affected.");
        return verdict("warning", "Python statements of this shared session would fail on executors: " + problem,
                notes, side, image, null);
    }

    /** Why the image's Java cannot run the driver, if it cannot; an undeclared Java is a note, not a refusal. */
    private static Optional<String> javaProblem(ImageSide image, Version driver, int driverJava, List<String> notes) {
        String fix = ": use an image of Spark " + driver.minorLine() + " with Java " + driverJava + " or later (for "
                + "example apache/spark:" + driver + (driver.major() >= 4 ? "-scala2.13" : "-scala2.12") + "-java"
                + driverJava + "-python3-ubuntu), or name a driver image that has one (SPARKGATE_DRIVER_IMAGE).";
        if (image.javaVersion() == null) {
            notes.add("The image's Java is not declared (catalog entry without java=), so it was not compared; the "
                    + "driver runs the image's Java and needs Java " + driverJava + " or later.");
            return Optional.empty();
        }
        int release = javaRelease(image.javaVersion());
        if (release == 0) {
            return Optional.of("Image " + image.image() + " has no Java we could find (" + image.javaVersion()
                    + "); the driver runs the image's Java, and Sparkgate's driver runtime needs Java " + driverJava
                    + " or later" + fix);
        }
        if (release < driverJava) {
            return Optional.of("Image " + image.image() + " has Java " + image.javaVersion() + "; the driver runs the "
                    + "image's Java, and Sparkgate's driver runtime needs Java " + driverJava + " or later" + fix);
        }
        return Optional.empty();
    }

    /** A Java version's release: {@code 17.0.11} is 17, {@code 21} is 21, {@code 1.8.0_392} is 8; 0 when unreadable. */
    static int javaRelease(String version) {
        Matcher m = JAVA_VERSION.matcher(version.trim());
        if (!m.matches()) {
            return 0;
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    private static String mismatch(ImageSide image, Version imagePython, Version driver, List<PythonCandidate> pythons,
                                   String available) {
        List<PythonCandidate> samePython = pythons.stream()
                .filter(p -> imagePython.sameMinor(Version.parse(p.pythonVersion()))).toList();
        if (!samePython.isEmpty()) {
            PythonCandidate first = samePython.get(0);
            return "Image " + image.image() + " has Python " + imagePython + " like the driver Python "
                    + first.executable() + ", but that Python's PySpark is " + first.pysparkVersion()
                    + " while the drivers run Spark " + driver + ": install pyspark==" + driver + " into that Python ("
                    + first.executable() + " -m pip install pyspark==" + driver + "), or set SPARK_HOME to a Spark "
                    + driver.minorLine() + " distribution.";
        }
        return "Image " + image.image() + " has Python " + imagePython + ", the driver Pythons available are "
                + available + ": use an image with Python " + pythons.stream().map(p -> Version.parse(p.pythonVersion()))
                .filter(v -> v != null).map(Version::minorLine).distinct().collect(Collectors.joining(" or "))
                + ", or configure a " + imagePython.minorLine() + " driver Python (SPARKGATE_DRIVER_PYTHONS).";
    }

    private static String describe(List<PythonCandidate> pythons) {
        if (pythons.isEmpty()) {
            return "none";
        }
        List<String> versions = pythons.stream().map(p -> Version.parse(p.pythonVersion()))
                .filter(v -> v != null).map(Version::minorLine).distinct().toList();
        if (versions.size() == 1) {
            return versions.get(0);
        }
        return String.join(", ", versions.subList(0, versions.size() - 1)) + " and " + versions.get(versions.size() - 1);
    }

    private static Judgement refused(String summary, List<String> notes, DriverSide driver, ImageSide image) {
        return new Judgement(new VersionVerdict("refused", summary, List.copyOf(notes), driver, image), null);
    }

    private static Judgement verdict(String verdict, String summary, List<String> notes, DriverSide driver,
                                     ImageSide image, PythonCandidate chosen) {
        return new Judgement(new VersionVerdict(verdict, summary, List.copyOf(notes), driver, image), chosen);
    }
}
