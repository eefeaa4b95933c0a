package dev.tributary.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A long, time-ordered binary stream of the kind seen in click and fraud logs, with a known
 * generating model, so that the learners can be held to it without shipping a real log. About
 * 20 % of the rows are positive. The log-odds of a row are
 * <pre>
 * bias + season(t) + day(t) + w(t)·x + a(t)[ad] + s[site]
 * </pre>
 * where {@code season} is a sine over the whole stream (±0.5), {@code day} a sine with a period of
 * {@link #EVENTS_PER_DAY} events (±0.6), {@code x} four numeric features on different scales
 * ({@code amount} is log-normal, {@code age} a count), and {@code ad} and {@code site} categorical
 * features with a few hundred values each, drawn with Zipf-like popularity. Neither rhythm is a
 * feature: a learner follows it through its bias or not at all. The kinds differ in how the model
 * moves:
 * <ul>
 *   <li>{@link Kind#SEASONAL}: only the two rhythms;</li>
 *   <li>{@link Kind#GRADUAL}: also, the numeric weights and the ad effects slide linearly from one
 *       setting to another over the whole stream;</li>
 *   <li>{@link Kind#ABRUPT}: also, at a third and at two thirds of the stream the numeric weights
 *       change and half of the ads get new effects.</li>
 * </ul>
 * The stream is a pure function of kind, rows and seed, so it can be replayed.
 *
 * <pre>{@code
 * DriftingStream stream = new DriftingStream(DriftingStream.Kind.ABRUPT, 2_000_000, 7);
 * EvaluationResult r = Evaluation.run(stream, LearnerConfig.defaults(Task.LOGISTIC, stream.features())
 *         .withCategorical(stream.categorical(), 10));
 * // or write it as a CSV for `tributary evaluate`:
 * // java -cp cli/target/tributary.jar dev.tributary.evaluation.DriftingStream abrupt 3000000 7 > abrupt.csv
 * }</pre>
 */
public final class DriftingStream implements RowSource {

    /** How the generating model moves along the stream. */
    public enum Kind {
        SEASONAL,
        GRADUAL,
        ABRUPT
    }

    static final int EVENTS_PER_DAY = 20_000;
    static final int ADS = 300;
    static final int SITES = 200;
    private static final List<String> FEATURES = List.of("amount", "age", "score", "noise");
    private static final List<String> CATEGORICAL = List.of("ad", "site");
    /** Puts the mean positive rate near 20 % with the effects below. */
    private static final double BIAS = -1.6;

    private final Kind kind;
    private final int rows;
    private final long seed;

    public DriftingStream(Kind kind, int rows, long seed) {
        if (kind == null || rows < 1) {
            throw new IllegalArgumentException("a kind and at least one row are required");
        }
        this.kind = kind;
        this.rows = rows;
        this.seed = seed;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT) + "-" + rows + "-seed" + seed;
    }

    @Override
    public List<String> features() {
        return FEATURES;
    }

    @Override
    public List<String> categorical() {
        return CATEGORICAL;
    }

    @Override
    public String target() {
        return "y";
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public void replay(RowSink sink) {
        SplittableRandom setup = new SplittableRandom(seed);
        double[][] weights = {{0.4, -0.25, 0.5, 0}, {-0.2, 0.3, 0.4, 0}, {0.25, 0.15, -0.5, 0}};
        double[][] ads = new double[3][ADS];
        for (double[] effects : ads) {
            for (int a = 0; a < ADS; a++) {
                effects[a] = setup.nextGaussian() * 0.5;
            }
        }
        for (int a = 0; a < ADS; a += 2) { // abrupt: half of the ads keep their effect
            ads[1][a] = ads[0][a];
            ads[2][a] = ads[0][a];
        }
        double[] sites = new double[SITES];
        for (int s = 0; s < SITES; s++) {
            sites[s] = setup.nextGaussian() * 0.4;
        }
        SplittableRandom random = new SplittableRandom(setup.nextLong());
        double[] x = new double[FEATURES.size()];
        String[] c = new String[CATEGORICAL.size()];
        double[] w = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double progress = r / (double) rows;
            int phase = kind == Kind.ABRUPT ? Math.min(2, (int) (3 * progress)) : 0;
            double slide = kind == Kind.GRADUAL ? progress : 0;
            for (int j = 0; j < w.length; j++) {
                w[j] = (1 - slide) * weights[phase][j] + slide * weights[1][j];
            }
            int ad = zipf(random, ADS);
            int site = zipf(random, SITES);
            double adEffect = (1 - slide) * ads[phase][ad] + slide * ads[1][ad];
            double amount = Math.exp(3 + random.nextGaussian());
            double age = Math.floor(random.nextDouble() * 60) + 18;
            double score = random.nextGaussian() * 5 + 50;
            double noise = random.nextGaussian() * 1000;
            x[0] = amount;
            x[1] = age;
            x[2] = score;
            x[3] = noise;
            double logit = BIAS
                    + 0.5 * Math.sin(2 * Math.PI * progress)
                    + 0.6 * Math.sin(2 * Math.PI * r / EVENTS_PER_DAY)
                    + w[0] * (Math.log(amount) - 3)
                    + w[1] * (age - 47.5) / 17.3
                    + w[2] * (score - 50) / 5
                    + adEffect
                    + sites[site];
            c[0] = "a" + ad;
            c[1] = "s" + site;
            double y = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
            sink.accept(x, c, y);
        }
    }

    /** An index in [0, n) with P(k) proportional to 1/(k+10): a few popular values and a long tail. */
    private static int zipf(SplittableRandom random, int n) {
        // Inverse of the continuous CDF of 1/(k+10) on [0, n).
        double u = random.nextDouble();
        return Math.min(n - 1, (int) (10 * Math.pow((n + 10) / 10.0, u) - 10));
    }

    /** Writes the stream as a CSV with a header line: the features, the categories, then {@code y}. */
    public void writeCsv(Writer out) throws IOException {
        out.write(String.join(",", FEATURES) + "," + String.join(",", CATEGORICAL) + ",y\n");
        StringBuilder line = new StringBuilder(96);
        IOException[] failure = new IOException[1];
        replay((x, c, y) -> {
            if (failure[0] != null) {
                return;
            }
            line.setLength(0);
            line.append(String.format(Locale.ROOT, "%.2f", x[0]))
                    .append(',')
                    .append((long) x[1])
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.3f", x[2]))
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.1f", x[3]))
                    .append(',')
                    .append(c[0])
                    .append(',')
                    .append(c[1])
                    .append(',')
                    .append((long) y)
                    .append('\n');
            try {
                out.write(line.toString());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.flush();
    }

    /** {@code DriftingStream seasonal|gradual|abrupt ROWS [SEED]}: the stream as a CSV on standard output. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: DriftingStream seasonal|gradual|abrupt ROWS [SEED]   (CSV on standard output)");
            System.exit(2);
        }
        Kind kind = Kind.valueOf(args[0].toUpperCase(Locale.ROOT));
        DriftingStream stream =
                new DriftingStream(kind, Integer.parseInt(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 7);
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        stream.writeCsv(out);
    }
}
