package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.model.Promotion;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The Models page and a model's page as JSON, from the registry view; curves down-sampled. */
final class ModelsJson {
    /** Points per curve at most (besides the aliased versions). */
    static final int MAX_POINTS = 400;
    /** Versions listed on a model's page: the newest ones and the aliased ones. */
    static final int LISTED_VERSIONS = 100;

    /** The models known, by name: a {@link RegistryView} or any other source of model states. */
    interface Models {
        java.util.SortedSet<String> models();

        RegistryView.ModelState stateOrNull(String model);
    }

    private final Models view;
    private final Renderers renderers;
    private final ToDoubleFunction<String> eventsPerSecond;

    ModelsJson(RegistryView view, Renderers renderers, ToDoubleFunction<String> eventsPerSecond) {
        this(
                new Models() {
                    @Override
                    public java.util.SortedSet<String> models() {
                        return view.models();
                    }

                    @Override
                    public RegistryView.ModelState stateOrNull(String model) {
                        return view.stateOrNull(model);
                    }
                },
                renderers,
                eventsPerSecond);
    }

    ModelsJson(Models models, Renderers renderers, ToDoubleFunction<String> eventsPerSecond) {
        this.view = models;
        this.renderers = renderers;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** One row per model. */
    ObjectNode list(long nowMillis) {
        ObjectNode json = object();
        ArrayNode rows = json.putArray("models");
        for (String name : view.models()) {
            RegistryView.ModelState s = view.stateOrNull(name);
            if (s == null) {
                continue;
            }
            ObjectNode row = rows.addObject();
            row.put("name", name);
            ModelVersion serving = s.serving();
            ModelVersion latest =
                    s.versions().isEmpty() ? null : s.versions().lastEntry().getValue();
            row.put("algorithm", algorithm(s));
            row.put("versions", s.versions().size());
            putVersion(row, "servingVersion", serving);
            row.put("servingAlias", servingAlias(s));
            putLong(row, "champion", s.aliases().get(RegistryView.CHAMPION));
            putLong(row, "challenger", s.aliases().get(Promotion.CHALLENGER));
            row.put("examplesSeen", latest == null ? 0 : latest.getExamplesSeen());
            String metric = metricKey(s);
            row.put("metric", metric);
            putNumber(
                    row,
                    "metricValue",
                    latest == null || latest.getExamplesSeen() == 0
                            ? null
                            : latest.getMetrics().get(metric));
            putNumber(
                    row,
                    "versionAgeSeconds",
                    serving == null ? null : Math.max(0, nowMillis - serving.getCreatedAt()) / 1000.0);
            row.put("eventsPerSecond", eventsPerSecond.applyAsDouble(name));
        }
        return json;
    }

    /** A model's page, or null if the model is unknown. */
    ObjectNode model(String name, long nowMillis) {
        RegistryView.ModelState s = view.stateOrNull(name);
        if (s == null || !s.exists()) {
            return null;
        }
        ObjectNode json = object();
        json.put("name", name);
        json.put("algorithm", algorithm(s));
        ModelSpec spec = s.spec();
        json.put("promotion", spec == null ? "" : spec.getPromotion().name());
        json.put("metric", metricKey(s));
        ObjectNode aliases = json.putObject("aliases");
        new java.util.TreeMap<>(s.aliases()).forEach(aliases::put);
        putVersion(json, "servingVersion", s.serving());
        json.put("servingAlias", servingAlias(s));
        json.put("versionCount", s.versions().size());
        json.set("curve", curve(s));
        json.set("versions", versions(s));
        json.set("weights", weights(s.serving()));
        putNumber(
                json,
                "versionAgeSeconds",
                s.serving() == null ? null : Math.max(0, nowMillis - s.serving().getCreatedAt()) / 1000.0);
        return json;
    }

    /**
     * The learning curve: x = examples seen, one series per metric found in the versions (the
     * progressive ones, {@code window.*}, and any other such as {@code delayed.*} or shadow metrics),
     * on the same down-sampled versions.
     */
    ObjectNode curve(RegistryView.ModelState s) {
        List<ModelVersion> all = new ArrayList<>(s.versions().values());
        int n = all.size();
        double[] x = new double[n];
        double[] y = new double[n];
        String main = metricKey(s);
        TreeSet<String> names = new TreeSet<>();
        Set<Long> aliased = new HashSet<>(s.aliases().values());
        Set<Integer> keep = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ModelVersion v = all.get(i);
            x[i] = v.getExamplesSeen();
            Double m = v.getMetrics().get(main);
            y[i] = m == null || v.getExamplesSeen() == 0 ? Double.NaN : m;
            if (aliased.contains(v.getVersion()) || v == s.serving()) {
                keep.add(i);
            }
            for (String key : v.getMetrics().keySet()) {
                if (!isCount(key)) {
                    names.add(key);
                }
            }
        }
        List<Integer> picked = Downsampling.pick(x, y, MAX_POINTS, keep);
        if (picked.isEmpty() && n > 0) {
            picked = List.of(n - 1);
        }
        ObjectNode curve = object();
        curve.put("metric", main);
        curve.put("versions", n);
        ArrayNode points = curve.putArray("points");
        for (int i : picked) {
            ModelVersion v = all.get(i);
            ObjectNode p = points.addObject();
            p.put("version", v.getVersion());
            p.put("examplesSeen", v.getExamplesSeen());
            ObjectNode values = p.putObject("metrics");
            for (String key : names) {
                putNumber(values, key, v.getMetrics().get(key));
            }
        }
        ArrayNode series = curve.putArray("series");
        names.forEach(series::add);
        return curve;
    }

    private ArrayNode versions(RegistryView.ModelState s) {
        Map<Long, List<String>> aliasesOf = new java.util.HashMap<>();
        s.aliases()
                .forEach((alias, version) -> aliasesOf
                        .computeIfAbsent(version, k -> new ArrayList<>())
                        .add(alias));
        TreeSet<Long> listed = new TreeSet<>(java.util.Comparator.reverseOrder());
        s.versions().descendingKeySet().stream().limit(LISTED_VERSIONS).forEach(listed::add);
        aliasesOf.keySet().stream().filter(s.versions()::containsKey).forEach(listed::add);
        ArrayNode rows = array();
        String main = metricKey(s);
        for (long number : listed) {
            ModelVersion v = s.versions().get(number);
            ObjectNode row = rows.addObject();
            row.put("version", number);
            putLong(row, "parentVersion", v.getParentVersion());
            row.put("examplesSeen", v.getExamplesSeen());
            putNumber(
                    row,
                    "metricValue",
                    v.getExamplesSeen() == 0 ? null : v.getMetrics().get(main));
            row.put("createdAt", v.getCreatedAt());
            row.put("producedBy", v.getProducedBy());
            ArrayNode aliases = row.putArray("aliases");
            aliasesOf.getOrDefault(number, List.of()).stream().sorted().forEach(aliases::add);
            JsonNode promotion =
                    v.getPromotion() == null ? null : renderers.version(v).get("promotion");
            row.set("promotion", promotion);
        }
        return rows;
    }

    /** The serving version's weights by feature (hashed buckets by their |weight|, the largest first), and its bias. */
    private ObjectNode weights(ModelVersion serving) {
        ObjectNode json = object();
        ArrayNode bars = json.putArray("features");
        if (serving == null || RegistryView.isReleased(serving)) {
            return json;
        }
        ObjectNode rendered = renderers.version(serving);
        json.put("version", serving.getVersion());
        JsonNode bias = rendered.get("bias");
        if (bias != null) {
            json.set("bias", bias);
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        rendered.path("weights").fields().forEachRemaining(entries::add);
        int numeric = serving.getFeatureNames().size();
        List<Map.Entry<String, JsonNode>> hashed =
                new ArrayList<>(entries.subList(Math.min(numeric, entries.size()), entries.size()));
        hashed.sort((a, b) -> Double.compare(
                Math.abs(b.getValue().asDouble()), Math.abs(a.getValue().asDouble())));
        List<Map.Entry<String, JsonNode>> shown =
                new ArrayList<>(entries.subList(0, Math.min(numeric, entries.size())));
        shown.addAll(hashed.subList(0, Math.min(hashed.size(), 30)));
        for (Map.Entry<String, JsonNode> e : shown) {
            ObjectNode bar = bars.addObject();
            bar.put("feature", e.getKey());
            bar.set("weight", e.getValue());
        }
        json.put("hashedNotShown", Math.max(0, hashed.size() - 30));
        return json;
    }

    private static boolean isCount(String key) {
        return key.equals("count") || key.endsWith(".count");
    }

    private static String algorithm(RegistryView.ModelState s) {
        if (s.spec() != null) {
            return s.spec().getAlgorithm().name();
        }
        return s.versions().isEmpty()
                ? ""
                : s.versions().lastEntry().getValue().getAlgorithm().name();
    }

    /** The promotion metric of the spec (accuracy for classifiers, RMSE for regression unless the spec names one). */
    static String metricKey(RegistryView.ModelState s) {
        if (s.spec() != null) {
            return Promotion.metricOrDefault(s.spec()).key();
        }
        return s.versions().isEmpty()
                ? Promotion.Metric.ACCURACY.key()
                : Promotion.Metric.defaultFor(
                                s.versions().lastEntry().getValue().getAlgorithm())
                        .key();
    }

    /** "champion" when the champion alias selects the serving version, else "latest". */
    private static String servingAlias(RegistryView.ModelState s) {
        Long champion = s.aliases().get(RegistryView.CHAMPION);
        return champion != null
                        && s.serving() != null
                        && champion == s.serving().getVersion()
                ? RegistryView.CHAMPION
                : "latest";
    }

    private static void putVersion(ObjectNode json, String field, ModelVersion v) {
        putLong(json, field, v == null ? null : v.getVersion());
    }

    private static void putLong(ObjectNode json, String field, Long value) {
        if (value == null) {
            json.putNull(field);
        } else {
            json.put(field, value);
        }
    }

    /** A number, or null when missing or not finite (JSON has no NaN). */
    static void putNumber(ObjectNode json, String field, Double value) {
        if (value == null || !Double.isFinite(value)) {
            json.putNull(field);
        } else {
            json.put(field, value);
        }
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
