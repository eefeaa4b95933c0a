package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryUnavailableException;
import dev.tributary.runtime.Http;
import java.io.IOException;
import java.net.URI;

/**
 * Set-alias and roll-back from the page, through {@link ModelRegistry}. Only a same-origin script
 * can send them: JSON bodies with a custom header (which a cross-site form cannot send without a
 * CORS preflight this server never grants) and, when the browser sends one, a matching Origin.
 */
final class ChangeRequests {
    static final String HEADER = "X-Tributary-Change";
    static final int MAX_BODY = 4096;

    private final ModelRegistry registry;

    /** {@code registry} null: the dashboard is read-only. */
    ChangeRequests(ModelRegistry registry) {
        this.registry = registry;
    }

    boolean allowed() {
        return registry != null;
    }

    ObjectNode setAlias(HttpExchange exchange, String model) throws IOException {
        JsonNode body = checked(exchange);
        String alias = body.path("alias").asText("");
        if (alias.isBlank() || !body.path("version").canConvertToLong()) {
            throw new Http.Refused(400, "send {\"alias\": NAME, \"version\": NUMBER}");
        }
        long version = body.path("version").asLong();
        try {
            registry.setAlias(model, alias, version);
        } catch (RegistryUnavailableException e) {
            throw new Http.Refused(503, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Http.Refused(409, e.getMessage());
        }
        ObjectNode json = ModelsJson.object();
        json.put("model", model);
        json.put("alias", alias);
        json.put("version", version);
        return json;
    }

    ObjectNode rollback(HttpExchange exchange, String model) throws IOException {
        JsonNode body = checked(exchange);
        Long to = body.path("to").canConvertToLong() ? body.path("to").asLong() : null;
        ModelRegistry.Rollback r;
        try {
            r = registry.rollback(model, to);
        } catch (RegistryUnavailableException e) {
            throw new Http.Refused(503, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Http.Refused(409, e.getMessage());
        }
        ObjectNode json = ModelsJson.object();
        json.put("model", r.model());
        if (r.from() == null) {
            json.putNull("from");
        } else {
            json.put("from", r.from());
        }
        json.put("to", r.to());
        return json;
    }

    private JsonNode checked(HttpExchange exchange) throws IOException {
        Http.requireMethod(exchange, "POST");
        if (registry == null) {
            throw new Http.Refused(403, "the dashboard is read-only: start it with --allow-changes to change aliases");
        }
        if (exchange.getRequestHeaders().getFirst(HEADER) == null) {
            throw new Http.Refused(403, "changes need the " + HEADER + " header");
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Http.Refused(415, "send application/json");
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin != null && (host == null || !host.equalsIgnoreCase(authority(origin)))) {
            throw new Http.Refused(403, "cross-origin change refused");
        }
        byte[] body = Http.body(exchange, MAX_BODY);
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new Http.Refused(400, "the body is not JSON");
        }
    }

    private static String authority(String origin) {
        try {
            return URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
