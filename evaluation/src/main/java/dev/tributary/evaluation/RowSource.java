package dev.tributary.evaluation;

import java.util.List;

/**
 * A labelled stream that can be read from its start as often as needed, one row at a time, so
 * that an evaluation holds only what it measures and never the rows themselves. {@link Dataset}
 * (rows in memory), {@link DriftingStream} (generated) and the CLI's CSV reader (a file read
 * again on each replay) are sources.
 *
 * <pre>{@code
 * RowSource source = new DriftingStream(DriftingStream.Kind.GRADUAL, 10_000, 1);
 * source.replay((x, categories, y) -> System.out.println(x[0] + " " + categories[0] + " -> " + y));
 * }</pre>
 */
public interface RowSource {

    /** A name for reports (e.g. the file name). */
    String name();

    /** Numeric feature names, in the order of each row's {@code x}. */
    List<String> features();

    /** Categorical feature names, in the order of each row's categories; may be empty. */
    List<String> categorical();

    /** The label's name. */
    String target();

    /** How many rows a replay gives. */
    int rows();

    /**
     * Calls {@code sink} once per row, in order. The arrays may be reused between rows: a sink
     * that keeps a row copies it.
     */
    void replay(RowSink sink);
}
