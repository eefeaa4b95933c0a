package dev.tributary.bench;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code predict} and {@code learn} of each task on dense vectors of 10, 100 and 1,000 features,
 * and on 2^18 hashed buckets with 20 active (shape {@code hashed}). A pool of pre-built vectors
 * is cycled so the measured path is the learner alone. Run with {@code -prof gc} for bytes per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LearnerBenchmark {
    private static final int POOL = 1024;

    @Param({"REGRESSION", "LOGISTIC", "SVM"})
    public Task task;

    @Param({"10", "100", "1000", "hashed"})
    public String shape;

    private Learner learner;
    private FeatureVector[] vectors;
    private double[] labels;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        boolean hashed = shape.equals("hashed");
        int dense = hashed ? 0 : Integer.parseInt(shape);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dense; i++) {
            names.add("x" + i);
        }
        LearnerConfig config = LearnerConfig.defaults(task, names);
        if (hashed) {
            config = config.withCategorical(List.of("c"), 18);
        }
        learner = Learners.create(config);
        vectors = new FeatureVector[POOL];
        labels = new double[POOL];
        for (int k = 0; k < POOL; k++) {
            FeatureVector x = new FeatureVector(Math.max(dense, 20));
            double margin = 0;
            for (int i = 0; i < dense; i++) {
                double v = random.nextDouble(-1, 1);
                x.add(i, v);
                margin += (i % 3 - 1) * v;
            }
            for (int a = 0; hashed && a < 20; a++) {
                int bucket = random.nextInt(1 << 18);
                x.add(bucket, 1.0);
                margin += (bucket % 3 - 1) * 0.3;
            }
            vectors[k] = x;
            labels[k] = task == Task.REGRESSION ? margin : (margin >= 0 ? 1.0 : 0.0);
        }
        for (int k = 0; k < 10 * POOL; k++) {
            learner.learn(vectors[k % POOL], labels[k % POOL]);
        }
    }

    @Benchmark
    public double predict() {
        FeatureVector x = vectors[next++ & (POOL - 1)];
        return learner.output(learner.margin(x));
    }

    @Benchmark
    public boolean learn() {
        int k = next++ & (POOL - 1);
        return learner.learn(vectors[k], labels[k]);
    }
}
