package dev.tributary.registry;

import dev.tributary.model.Promotion;
import dev.tributary.schema.ModelVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;

/**
 * What a registry command changes, decided from the registry view alone: the version a rollback
 * moves {@code champion} to, the aliases that go with a retired version, the versions a prune
 * deletes. Pure, so every refusal can be tested without a broker; {@link ModelRegistry} writes the result.
 */
final class RegistryEdits {
    private RegistryEdits() {}

    /** The version champion moves to, and the refused versions passed over on the way. */
    record RollbackTarget(long version, List<Long> skipped) {}

    /**
     * @param to the version asked for, or null for the newest older version the promotion gate did not refuse
     * @throws IllegalArgumentException saying why there is nothing to roll back to
     */
    static RollbackTarget rollbackTarget(String model, RegistryView.ModelState state, Long to) {
        long current = state.serving().getVersion();
        if (to != null) {
            if (!state.versions().containsKey(to)) {
                throw new IllegalArgumentException("model '" + model + "' has no version " + to + " (it has "
                        + describe(state.versions().keySet()) + ")");
            }
            return new RollbackTarget(to, List.of());
        }
        List<Long> skipped = new ArrayList<>();
        for (ModelVersion v :
                state.versions().headMap(current, false).descendingMap().values()) {
            if (Promotion.wasRefused(v)) {
                skipped.add(v.getVersion());
                continue;
            }
            if (v.getVersion() == 0) {
                throw new IllegalArgumentException("the only version of model '" + model + "' before " + current
                        + " to roll back to is version 0, the all-zero weights 'models create' published: every prediction would "
                        + "be the same; if scoring should serve it anyway, name it with --to 0");
            }
            return new RollbackTarget(v.getVersion(), List.copyOf(skipped));
        }
        throw new IllegalArgumentException("model '" + model + "' has no version before " + current
                + " to roll back to"
                + (skipped.isEmpty() ? "" : " (versions " + skipped + " were refused by the promotion gate)")
                + "; name one with --to");
    }

    /**
     * The aliases deleted with a retired version, sorted.
     *
     * @throws IllegalArgumentException if the version does not exist, is the model's only one, or is the
     *     champion and {@code force} is false
     */
    static List<String> aliasesRetiredWith(String model, long version, boolean force, RegistryView.ModelState state) {
        if (!state.versions().containsKey(version)) {
            throw new IllegalArgumentException("model '" + model + "' has no version " + version + " (it has "
                    + describe(state.versions().keySet()) + ")");
        }
        if (state.versions().size() == 1) {
            throw new IllegalArgumentException("version " + version + " is the only version of model '" + model
                    + "': scoring needs one; retire the whole model instead ('tributary models retire " + model
                    + " --all')");
        }
        Long champion = state.aliases().get(RegistryView.CHAMPION);
        if (champion != null && champion == version && !force) {
            throw new IllegalArgumentException(
                    "version " + version + " of model '" + model + "' is the champion, which "
                            + "scoring uses; move champion first ('tributary models rollback " + model
                            + "' or 'tributary models alias "
                            + model
                            + " champion VERSION'), or retire it anyway with --force (scoring then follows the latest version)");
        }
        List<String> aliases = new ArrayList<>();
        state.aliases().forEach((a, v) -> {
            if (v == version) {
                aliases.add(a);
            }
        });
        aliases.sort(null);
        return List.copyOf(aliases);
    }

    /** The keys of the versions a prune deletes: all but the newest {@code keepLatest}, never an aliased one. */
    static List<String> prunedKeys(
            String model, NavigableMap<Long, ModelVersion> versions, Collection<Long> aliasedVersions, int keepLatest) {
        Set<Long> aliased = new HashSet<>(aliasedVersions);
        List<String> keys = new ArrayList<>();
        int toDrop = versions.size() - keepLatest;
        for (Long v : versions.keySet()) {
            if (toDrop-- <= 0) {
                break;
            }
            if (!aliased.contains(v)) {
                keys.add(RegistryKeys.version(model, v));
            }
        }
        return keys;
    }

    static String describe(Set<Long> versions) {
        if (versions.size() <= 10) {
            return "versions " + versions;
        }
        List<Long> all = new ArrayList<>(versions);
        return versions.size() + " versions, " + all.get(0) + " to " + all.get(all.size() - 1);
    }
}
