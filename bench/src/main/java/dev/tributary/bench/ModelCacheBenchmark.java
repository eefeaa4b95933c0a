package dev.tributary.bench;

import dev.tributary.functions.ModelCatalog;
import dev.tributary.functions.ServingModel;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.RegistryRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The scorer's per-event model lookup among 1,000 models: must be a map lookup, never a decode. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModelCacheBenchmark {
    private static final int MODELS = 1000;
    private ModelCatalog catalog;
    private String[] names;
    private int next;

    @Setup
    public void setUp() {
        RegistryView view = new RegistryView();
        List<String> features = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            features.add("x" + i);
        }
        names = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            names[m] = "model-" + m;
            ModelSpec spec = ModelVersions.defaultSpec(names[m], Algorithm.LOGISTIC_REGRESSION, features)
                    .build();
            view.apply(RegistryKeys.spec(names[m]), new RegistryRecord(spec));
            view.apply(RegistryKeys.version(names[m], 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        }
        catalog = new ModelCatalog(view, timeout -> true);
        for (String name : names) {
            catalog.serving(name);
        }
    }

    @Benchmark
    public ServingModel lookup() {
        return catalog.serving(names[next++ % MODELS]);
    }
}
