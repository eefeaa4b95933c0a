package dev.tributary.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the JDK's HTTP server needs around Tributary's endpoints: JSON replies, errors, body limits. */
public final class Http {
    private static final Logger LOG = LoggerFactory.getLogger(Http.class);
    public static final ObjectMapper JSON = JsonMapper.builder().build();

    private Http() {}

    /** A request refused with a status and a reason, answered as {@code {"error": reason}}. */
    public static final class Refused extends RuntimeException {
        final int status;

        public Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    /** A handler that may throw {@link Refused}. */
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Starts a server whose handlers run on a small pool of daemon threads. */
    public static HttpServer start(String host, int port, int threads, String name, Map<String, Handler> contexts)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        contexts.forEach((path, handler) -> server.createContext(path, guarded(path, handler)));
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
        return server;
    }

    /** Stops the server and its threads. */
    public static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    /** A context ending in '/' takes every path under it; any other only its own path. */
    private static HttpHandler guarded(String context, Handler handler) {
        return exchange -> {
            try (exchange) {
                try {
                    String path = exchange.getRequestURI().getPath();
                    if (!context.endsWith("/") && !path.equals(context)) {
                        throw new Refused(404, "no such path " + path);
                    }
                    handler.handle(exchange);
                } catch (Refused e) {
                    error(exchange, e.status, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn(
                            "{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString(), e);
                    error(exchange, 500, "internal error: " + e.getMessage());
                }
            }
        };
    }

    /** GET, or HEAD. */
    public static void requireGet(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            requireMethod(exchange, "GET");
        }
    }

    public static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new Refused(
                    405,
                    "method " + exchange.getRequestMethod() + " not allowed on "
                            + exchange.getRequestURI().getPath() + ": use " + method);
        }
    }

    /** The request body, refused with 413 when it is over {@code maxBytes}. */
    public static byte[] body(HttpExchange exchange, int maxBytes) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBytes) {
                    throw new Refused(
                            413,
                            "request body of " + length.trim() + " bytes is over the limit of " + maxBytes + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new Refused(400, "bad Content-Length: " + length);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                // Read what is left (within reason) so that the server can answer instead of dropping the connection.
                long left = 16L * maxBytes;
                byte[] discard = new byte[64 * 1024];
                for (int n; left > 0 && (n = in.read(discard, 0, (int) Math.min(discard.length, left))) > 0; ) {
                    left -= n;
                }
                throw new Refused(413, "request body is over the limit of " + maxBytes + " bytes");
            }
            return body;
        }
    }

    public static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    public static void error(HttpExchange exchange, int status, String reason) throws IOException {
        json(exchange, status, Map.of("error", reason == null ? "error" : reason));
    }

    public static void text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
