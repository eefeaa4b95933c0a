package dev.tributary.functions.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs code on a task's thread just before each commit of the task, in the commit's transaction.
 *
 * <p>Kafka Streams has no public hook for that. It flushes the cache of every store that
 * implements its internal interface {@code CachedStateStore} when a task prepares its commit,
 * before it flushes the producer and commits the transaction with the input offsets (its caching
 * stores write their dirty entries then). {@link #notifying} wraps a store in an adapter that
 * implements that interface and runs the hook instead of flushing a cache. This class is the only
 * one that knows of the interface: whether it is there, with the methods the adapter implements,
 * is checked once, when this class is loaded. If it is not ({@link #available} is false, with one
 * warning in the log), the store is left as it is and callers write at every change instead: as
 * correct, with more writes.
 */
public final class CommitHook {
    private static final Logger LOG = LoggerFactory.getLogger(CommitHook.class);
    static final String CACHED_STATE_STORE = "org.apache.kafka.streams.state.internals.CachedStateStore";
    static final String STATE_MANAGER = "org.apache.kafka.streams.processor.internals.ProcessorStateManager";
    static final String PROCESSOR_CONTEXT = "org.apache.kafka.streams.processor.internals.InternalProcessorContext";
    private static final String ADAPTER = "dev.tributary.functions.internal.CachedStoreAdapter";
    private static final String NODE_SCOPE = "dev.tributary.functions.internal.NodeScopeAdapter";
    private static final Set<String> NODE_SCOPE_METHODS =
            Set.of("currentNode()", "setCurrentNode(1)", "recordContext()", "setRecordContext(1)");
    private static final Set<String> ADAPTED_METHODS = Set.of("flushCache()", "clearCache()", "setFlushListener(2)");

    private static final String PROBLEM = problem(CACHED_STATE_STORE, STATE_MANAGER, PROCESSOR_CONTEXT);

    static {
        if (PROBLEM != null) {
            LOG.warn(
                    "The functions cannot hook the commits of Kafka Streams ({}): the train function writes its "
                            + "state at every example and the score function its usage counts at every event, instead "
                            + "of once per commit, which is as correct but slower. Run them with the Kafka Streams "
                            + "release they were built with to write once per commit",
                    PROBLEM);
        }
    }

    /** Runs code as one processor node, so that it may forward records from a commit hook. */
    public interface NodeScope {
        /** Runs {@code action} as the node; a record it forwards without a timestamp of its own gets {@code timestamp}. */
        void run(long timestamp, Runnable action);
    }

    /** A store {@link #notifying} wraps: the store it was given. */
    public interface Wrapper {
        StateStore wrapped();
    }

    private CommitHook() {}

    /** Whether {@link #notifying} hooks commits (else it returns the store as it is). */
    public static boolean available() {
        return PROBLEM == null;
    }

    /**
     * The store to register in the topology: {@code store} in an adapter that runs {@code
     * beforeCommit} each time its task prepares a commit, or {@code store} itself when the hook is
     * not {@link #available}.
     */
    public static StateStore notifying(StateStore store, Runnable beforeCommit) {
        if (!available()) {
            return store;
        }
        try {
            // By name: the adapter implements the internal interface and loads only when it is there.
            return (StateStore) Class.forName(ADAPTER)
                    .getDeclaredConstructor(StateStore.class, Runnable.class)
                    .newInstance(store, beforeCommit);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(
                    "the commit hook passed its check but its adapter cannot be made (" + e
                            + "): this build of Tributary is incomplete; rebuild it",
                    e);
        }
    }

    /**
     * The scope of the processor {@code context} belongs to, to be called from its {@code init}: a
     * hook run through it may forward records to the processor's children. Outside Kafka Streams'
     * own contexts (a test's mock context) the action simply runs.
     */
    public static NodeScope scopeOf(Object context) {
        if (!available() || !isProcessorContext(context)) {
            return (timestamp, action) -> action.run();
        }
        try {
            return (NodeScope) Class.forName(NODE_SCOPE)
                    .getDeclaredConstructor(Object.class)
                    .newInstance(context);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(
                    "the commit hook passed its check but its node scope cannot be made (" + e
                            + "): this build of Tributary is incomplete; rebuild it",
                    e);
        }
    }

    private static boolean isProcessorContext(Object context) {
        try {
            return Class.forName(PROCESSOR_CONTEXT, false, CommitHook.class.getClassLoader())
                    .isInstance(context);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The store as given to {@link #notifying}, from the one the topology registered. */
    public static StateStore unwrap(StateStore registered) {
        return registered instanceof Wrapper w ? w.wrapped() : registered;
    }

    /**
     * Why the hook cannot be used with the Kafka Streams on the class path, or null if it can: the
     * interface named {@code cachedStateStore} must be there with exactly the methods the adapter
     * implements, the class named {@code stateManager} must flush it, and the processor context
     * named {@code processorContext} must let {@link NodeScopeAdapter} set its node and record.
     */
    static String problem(String cachedStateStore, String stateManager, String processorContext) {
        ClassLoader loader = CommitHook.class.getClassLoader();
        Class<?> cached;
        try {
            cached = Class.forName(cachedStateStore, false, loader);
            Class.forName(stateManager, false, loader).getMethod("flushCache");
            Set<String> contextMethods = Arrays.stream(
                            Class.forName(processorContext, false, loader).getMethods())
                    .map(CommitHook::signature)
                    .collect(Collectors.toSet());
            if (!contextMethods.containsAll(NODE_SCOPE_METHODS)) {
                return processorContext + " lacks one of " + NODE_SCOPE_METHODS;
            }
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            return "Kafka Streams has no " + e.getMessage();
        }
        if (!cached.isInterface()) {
            return cachedStateStore + " is not an interface";
        }
        Set<String> required = Arrays.stream(cached.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(CommitHook::signature)
                .collect(Collectors.toSet());
        if (!required.equals(ADAPTED_METHODS)) {
            return cachedStateStore + " has the methods " + required + ", not the " + ADAPTED_METHODS
                    + " this release implements";
        }
        return null;
    }

    private static String signature(Method m) {
        return m.getParameterCount() == 0 ? m.getName() + "()" : m.getName() + "(" + m.getParameterCount() + ")";
    }
}
