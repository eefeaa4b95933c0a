package dev.tributary.functions;

import dev.tributary.registry.ModelCache;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the functions know of the registry: the view that follows the registry topic, the
 * decoded serving version of each model, and a way to wait until the view has caught up.
 */
public final class ModelCatalog {
  private final RegistryView view;
  private final ModelCache<ServingModel> cache;
  private final Function<Duration, Boolean> awaitCaughtUp;
  private final ShadowScorer shadows;

  /**
   * @param awaitCaughtUp blocks up to the given time until the view has applied the registry
   *     topic up to its current end; returns whether it has
   */
  public ModelCatalog(RegistryView view, Function<Duration, Boolean> awaitCaughtUp) {
    this.view = view;
    this.awaitCaughtUp = awaitCaughtUp;
    this.shadows = new ShadowScorer(view);
    this.cache = new ModelCache<>(view,
        version -> ServingModel.decode(view.spec(version.getModel()).orElseThrow(
            () -> new IllegalStateException("version of model '" + version.getModel() + "' without a spec")), version));
  }

  /**
   * The decoded version scoring should use now, or null when the model is unknown.
   *
   * @throws ModelCache.ModelUnusableException when its version cannot be decoded
   */
  public ServingModel serving(String model) {
    ModelCache.Served<ServingModel> served = cache.get(model);
    return served == null ? null : served.model();
  }

  /** Scores events with each model's shadow versions (its challenger and the spec's shadow aliases). */
  public ShadowScorer shadows() {
    return shadows;
  }

  /** How many versions have been decoded into a {@link ServingModel} so far (each served version once). */
  public long decodeCount() {
    return cache.decodeCount();
  }

  /** How many models have a decoded version held. */
  public int cachedModels() {
    return cache.size();
  }

  public Optional<ModelSpec> spec(String model) {
    return view.spec(model);
  }

  public Optional<ModelVersion> latest(String model) {
    return view.latest(model);
  }

  public Optional<ModelVersion> version(String model, long version) {
    return view.version(model, version);
  }

  /** Alias name to version number, as the view has them now. */
  public Map<String, Long> aliases(String model) {
    return view.aliases(model);
  }

  public boolean awaitCaughtUp(Duration timeout) {
    return awaitCaughtUp.apply(timeout);
  }
}
