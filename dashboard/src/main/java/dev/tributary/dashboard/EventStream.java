package dev.tributary.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Server-sent events: a {@code change} event carrying what changed (a counter per source) whenever
 * it differs from the last one sent, checked every {@link #PERIOD}; pages fetch what they show
 * again when their source moved. A comment every 15 s keeps proxies from closing an idle stream.
 */
final class EventStream {
    static final Duration PERIOD = Duration.ofMillis(500);
    static final int MAX_OPEN = 32;

    private final Supplier<String> changes;
    private final java.util.concurrent.Semaphore open = new java.util.concurrent.Semaphore(MAX_OPEN);
    private volatile boolean closed;

    EventStream(Supplier<String> changes) {
        this.changes = changes;
    }

    /** Streams until the client goes away or the dashboard closes (runs on one of the server's threads). */
    void serve(HttpExchange exchange) throws IOException {
        if (!open.tryAcquire()) {
            throw new dev.tributary.runtime.Http.Refused(503, "too many open event streams (" + MAX_OPEN + ")");
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            String last = null;
            long lastWrite = 0;
            while (!closed) {
                String now = changes.get();
                if (!now.equals(last)) {
                    write(out, "event: change\ndata: " + now + "\n\n");
                    last = now;
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > 15_000_000_000L) {
                    write(out, ": keep-alive\n\n");
                    lastWrite = System.nanoTime();
                }
                try {
                    Thread.sleep(PERIOD.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.release();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void close() {
        closed = true;
    }
}
