package dev.tributary.evaluation;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared CSV datasets for tests: a header line, numeric columns, the target last, read into
 * {@link Dataset}s. The folder is the system property {@code tributary.datasets}, else the first {@code shared/datasets}
 * found walking up from the working directory, else {@code /work/shared/datasets}. A missing
 * folder fails loudly: quality tests must never skip silently.
 *
 * <pre>{@code
 * Dataset spam = Datasets.load("spambase");
 * Learner learner = Datasets.prequential(spam, LearnerConfig.defaults(Task.LOGISTIC, spam.features()));
 * double accuracy = learner.metrics().values().get("accuracy");
 * }</pre>
 */
public final class Datasets {

    public static final String PROPERTY = "tributary.datasets";

    /** Where the shared datasets live on the project's machines, when no shared/datasets is found upwards. */
    static final Path DEFAULT_FOLDER = Paths.get("/work/shared/datasets");

    private static final Map<String, Dataset> CACHE = new ConcurrentHashMap<>();

    private Datasets() {}

    /** The datasets folder, or an {@link IllegalStateException} that says where it was looked for. */
    public static Path folder() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured).toAbsolutePath();
            if (!Files.isDirectory(path)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + configured + " is not a directory");
            }
            return path;
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        if (Files.isDirectory(DEFAULT_FOLDER)) {
            return DEFAULT_FOLDER; // a checkout elsewhere, e.g. a fresh clone in /tmp
        }
        throw new IllegalStateException("datasets folder not found: set -D" + PROPERTY
                + "=/path/to/shared/datasets, or run from a directory below one that holds shared/datasets"
                + " (searched upwards from " + start + " and in " + DEFAULT_FOLDER + ")");
    }

    /** Loads {@code NAME.csv} from {@link #folder()} (cached). */
    public static Dataset load(String name) {
        return CACHE.computeIfAbsent(name, n -> read(folder().resolve(n + ".csv"), n));
    }

    static Dataset read(Path file, String name) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("dataset file not found: " + file);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalStateException(file + " is empty");
            }
            String[] columns = header.trim().split(",");
            int features = columns.length - 1;
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.length) {
                    throw new IllegalStateException(
                            file + ":" + lineNo + " has " + cells.length + " cells, expected " + columns.length);
                }
                double[] row = new double[features];
                for (int j = 0; j < features; j++) {
                    row[j] = Double.parseDouble(cells[j].trim());
                }
                xs.add(row);
                ys.add(Double.parseDouble(cells[features].trim()));
            }
            double[] y = new double[ys.size()];
            for (int r = 0; r < y.length; r++) {
                y[r] = ys.get(r);
            }
            return new Dataset(
                    name, List.of(Arrays.copyOf(columns, features)), columns[features], xs.toArray(double[][]::new), y);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Streams every row in order through a new learner (test-then-train) and returns it. */
    public static Learner prequential(Dataset data, LearnerConfig config) {
        Learner learner = Learners.create(config);
        stream(data, learner);
        return learner;
    }

    /** Streams every row of {@code data} in order through {@code learner} (test-then-train). */
    public static void stream(Dataset data, Learner learner) {
        int d = data.features().size();
        FeatureVector x = new FeatureVector(d);
        for (int r = 0; r < data.rows(); r++) {
            x.clear();
            double[] row = data.x()[r];
            for (int j = 0; j < d; j++) {
                x.add(j, row[j]);
            }
            learner.learn(x, data.y()[r]);
        }
    }
}
