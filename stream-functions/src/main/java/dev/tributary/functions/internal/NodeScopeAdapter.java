package dev.tributary.functions.internal;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * Runs code as the processor node whose context it was made from, outside that node's own calls:
 * from a commit hook, where Kafka Streams has no current node or record. A forward then reaches
 * the node's children, as a caching store's flush forwards for its processor. Made only by {@link
 * CommitHook}, after it checked that the methods used here are there.
 */
final class NodeScopeAdapter implements CommitHook.NodeScope {
    private final InternalProcessorContext<?, ?> context;
    private final ProcessorNode<?, ?, ?, ?> node;

    /** @param context the processor's context, during its {@code init} (its node is then the current one) */
    NodeScopeAdapter(Object context) {
        this.context = (InternalProcessorContext<?, ?>) context;
        this.node = this.context.currentNode();
    }

    @Override
    public void run(long timestamp, Runnable action) {
        ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
        ProcessorRecordContext previousRecord = context.recordContext();
        context.setCurrentNode(node);
        context.setRecordContext(new ProcessorRecordContext(timestamp, -1, -1, null, new RecordHeaders()));
        try {
            action.run();
        } finally {
            context.setRecordContext(previousRecord);
            context.setCurrentNode(previousNode);
        }
    }
}
