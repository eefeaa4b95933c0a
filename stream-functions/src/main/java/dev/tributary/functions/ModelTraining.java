package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.learn.DelayedMetrics;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.model.MetricWindow;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.model.Promotion;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.TrainerState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A model being trained by a task: its spec, learner and what it has learned since its last version. */
final class ModelTraining {
    final ModelSpec spec;
    final PublishCadence cadence;
    final Featurizer featurizer;
    final int numericFeatures;
    final Learner learner;
    final MetricWindow window;
    /** The predictions users got, against the labels that came later ({@link JoinedExample}). */
    final DelayedMetrics delayed;
    /**
     * The lineage: the last publication (or the checkpoint this task started from). Its {@code
     * current} gives the last published version number; the learner has moved on since.
     */
    TrainerState state;

    final CheckpointOrJournal writes;
    /** The input offsets learned since the last publication. */
    private final LearnedOffsets learnedOffsets = new LearnedOffsets();

    OwnPromotion ownPromotion = new OwnPromotion();
    long tooLargeLoggedAt = Long.MIN_VALUE;
    /** A fresh learner trained alongside after a drift alert, or null. Not checkpointed: a restart drops it. */
    Challenger challenger;

    ModelTraining(ModelSpec spec, FunctionSpec function, Learner learner, TrainerState state) {
        this.spec = spec;
        this.cadence = PublishCadence.of(spec, function);
        this.featurizer = new Featurizer(spec.getFeatures(), spec.getCategoricalFeatures(), spec.getHashBits());
        this.numericFeatures = spec.getFeatures().size();
        this.learner = learner;
        this.window =
                MetricWindow.restore(Promotion.metricOrDefault(spec), Promotion.windowOf(spec), state.getWindow());
        this.delayed = new DelayedMetrics(
                ModelVersions.taskOf(spec.getAlgorithm()), state.getCurrent().getMetricState());
        this.state = state;
        this.writes = new CheckpointOrJournal(
                ModelSpecs.checkpointBytes(spec), state.getCurrent().getExamplesSeen());
        state.getCurrent().getSourceOffsets().forEach(learnedOffsets::add);
    }

    String name() {
        return spec.getName();
    }

    /**
     * The training that goes on with {@code learner} (a challenger that won) from this one's
     * lineage, with {@code window}: the offsets learned and the promotion made so far carry over.
     */
    ModelTraining continuedBy(Learner learner, MetricWindow window, FunctionSpec function) {
        TrainerState lineage = new TrainerState(
                state.getCurrent(), state.getPublishedExamples(), state.getPublishedAt(), window.toRecord());
        ModelTraining next = new ModelTraining(spec, function, learner, lineage);
        next.learnedOffsets.addAll(learnedOffsets);
        next.ownPromotion = ownPromotion;
        return next;
    }

    /** Adds an input offset to those learned since the last publication. */
    void learnedFrom(SourceHeaders.Source s) {
        learnedOffsets.add(s.topic(), s.partition(), s.offset());
    }

    /** Adds a journalled example's input offsets to those learned since the last publication. */
    void learnedFrom(OffsetRange r) {
        learnedOffsets.add(r);
    }

    List<OffsetRange> sourceOffsets() {
        return learnedOffsets.ranges();
    }

    boolean publishDueByCount() {
        return cadence.dueByCount(learner.examplesSeen(), state.getPublishedExamples());
    }

    boolean publishDueByTime(long now) {
        return cadence.dueByTime(learner.examplesSeen(), state.getPublishedExamples(), state.getPublishedAt(), now);
    }

    /** Once a version carried them: the offsets learned start over. */
    void clearSourceOffsets() {
        learnedOffsets.clear();
    }

    /** Records a publication (or a refused one) as the lineage; the next commit writes a checkpoint. */
    void published(ModelVersion version, long now) {
        state = new TrainerState(version, learner.examplesSeen(), now, null);
        writes.checkpointNext();
    }

    /** Keeps the delayed metrics' accumulators next to the learner's, once a label has come later. */
    void addDelayedState(ModelVersion version) {
        if (delayed.count() > 0) {
            Map<String, Double> metricState = new HashMap<>(version.getMetricState());
            metricState.putAll(delayed.state());
            version.setMetricState(metricState);
        }
    }

    /** The version this task last made champion, until this instance's registry view has it. */
    static final class OwnPromotion {
        ModelVersion promoted;
        long promotedAt;
        /** Whether the view was brought up to date before this task's first promotion decision. */
        boolean viewChecked;
    }
}
