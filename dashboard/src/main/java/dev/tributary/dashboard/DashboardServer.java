package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.runtime.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The dashboard's HTTP side on the JDK server: the page and its files, the JSON of each page under
 * {@code /api/}, the change feed ({@code /api/events}, server-sent events) and, when allowed, the
 * two changes. Every answer carries a Content-Security-Policy that allows this origin's scripts,
 * styles and requests only: no inline script, no other site.
 */
final class DashboardServer implements AutoCloseable {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final int THREADS = EventStream.MAX_OPEN + 8;

    static {
        // The JDK server writes headers and body separately: without TCP_NODELAY each small answer waits for a delayed
        // ACK (~40 ms).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final StaticFiles files = new StaticFiles();

    DashboardServer(String host, int port, DashboardData data, LongSupplier clock) throws IOException {
        this.server = Http.start(
                host,
                port,
                THREADS,
                "tributary-dashboard",
                Map.of(
                        "/",
                                exchange -> {
                                    secure(exchange);
                                    String path = exchange.getRequestURI().getPath();
                                    Http.requireGet(exchange);
                                    file(exchange, path.equals("/") ? "index.html" : path.substring(1));
                                },
                        "/api/",
                                exchange -> {
                                    secure(exchange);
                                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                                    api(exchange, data, clock.getAsLong());
                                }));
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        StaticFiles.File f = files.get(name);
        if (f == null) {
            throw new Http.Refused(404, "no such page");
        }
        exchange.getResponseHeaders().set("ETag", f.etag());
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        if (f.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        Http.text(exchange, 200, f.contentType(), f.text());
    }

    private static void api(HttpExchange exchange, DashboardData data, long now) throws IOException {
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        // path starts with "api"
        String what = path.size() > 1 ? path.get(1) : "";
        switch (what) {
            case "events" -> {
                Http.requireGet(exchange);
                data.events().serve(exchange);
            }
            case "config" -> get(exchange, data.config());
            case "models" -> {
                if (path.size() == 2) {
                    get(exchange, data.models().list(now));
                } else if (path.size() == 3) {
                    ObjectNode model = data.models().model(path.get(2), now);
                    if (model == null) {
                        throw new Http.Refused(404, "no model named " + path.get(2));
                    }
                    model.put("allowChanges", data.changes().allowed());
                    get(exchange, model);
                } else if (path.size() == 4 && path.get(3).equals("alias")) {
                    Http.json(exchange, 200, data.changes().setAlias(exchange, path.get(2)));
                } else if (path.size() == 4 && path.get(3).equals("rollback")) {
                    Http.json(exchange, 200, data.changes().rollback(exchange, path.get(2)));
                } else {
                    throw new Http.Refused(404, "no such path");
                }
            }
            case "functions" -> {
                ObjectNode json = ModelsJson.object();
                json.setAll(data.instances().json());
                json.setAll(data.lag().json());
                if (data.timeline() != null) {
                    json.set("timeline", data.timeline().json());
                }
                get(exchange, json);
            }
            case "dead-letters" -> get(exchange, data.deadLetters().json());
            case "usage" -> {
                Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
                Long from = q.containsKey("since") ? number(q.get("since"), "since") : null;
                long to = q.containsKey("until") ? number(q.get("until"), "until") : now;
                List<String> by =
                        Arrays.asList(q.getOrDefault("by", "function,model").split(","));
                if (by.stream()
                        .anyMatch(b -> !List.of("function", "model", "instance").contains(b))) {
                    throw new Http.Refused(400, "by is a list of function, model, instance");
                }
                get(exchange, data.usage().bill(from, to, by));
            }
            default -> throw new Http.Refused(404, "no such path");
        }
    }

    private static void get(HttpExchange exchange, Object json) throws IOException {
        Http.requireGet(exchange);
        Http.json(exchange, 200, json);
    }

    private static long number(String text, String name) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Http.Refused(400, name + " is a time in epoch milliseconds");
        }
    }

    /** The decoded, non-empty segments of a raw path. */
    static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void secure(HttpExchange exchange) {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        Http.stop(server);
    }
}
