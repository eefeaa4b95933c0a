package dev.tributary.functions;

/** Why an input record went to the dead-letter topic; the name travels in a header. */
public enum Rejection {
    /** Bytes that are neither a valid JSON event nor an Avro Event. */
    UNDECODABLE,
    /** The event names a model the registry does not have. */
    UNKNOWN_MODEL,
    /** The model's serving version cannot be decoded (and no earlier one could be served). */
    MODEL_UNUSABLE,
    /** The event lacks a feature the model needs, or carries an unusable one. */
    BAD_FEATURES,
    /** A label a classifier cannot learn from (not 0 or 1). */
    BAD_LABEL,
    /** The event names a model that no function triggered by its topic serves (their {@code models} lists). */
    NOT_SERVED,
    /** Processing threw an unexpected exception on every attempt (the count is in a header). */
    FAILED,
    /** Processing took longer than the function's timeout. */
    TIMED_OUT,
    /** Feedback for an event that is not waiting for its label: never scored, its wait is over, or keyed otherwise. */
    UNMATCHED_FEEDBACK,
    /** Feedback for an event whose label already joined: not learned a second time. */
    DUPLICATE_FEEDBACK
}
