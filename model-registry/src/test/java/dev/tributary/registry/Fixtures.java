package dev.tributary.registry;

import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;

/** Small specs, versions and aliases for tests. */
final class Fixtures {
    private Fixtures() {}

    static ModelSpec.Builder spec(String name) {
        return dev.tributary.model.Fixtures.spec(name);
    }

    static ModelVersion version(ModelSpec spec, long v) {
        return dev.tributary.model.Fixtures.version(spec, v);
    }

    static RegistryRecord record(Object entry) {
        return RegistryRecord.newBuilder().setEntry(entry).build();
    }

    static ModelAlias alias(String model, String alias, long version) {
        return ModelAlias.newBuilder()
                .setModel(model)
                .setAlias(alias)
                .setVersion(version)
                .setUpdatedAt(1L)
                .build();
    }

    /** Applies spec then versions 0..n-1 of {@code name} to a view. */
    static ModelSpec populate(RegistryView view, String name, int versions) {
        ModelSpec spec = spec(name).build();
        view.apply(RegistryKeys.spec(name), record(spec));
        for (int v = 0; v < versions; v++) {
            view.apply(RegistryKeys.version(name, v), record(version(spec, v)));
        }
        return spec;
    }
}
