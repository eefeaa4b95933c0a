package dev.tributary.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The page, its scripts and its styles: resources of this jar, nothing from elsewhere. */
final class StaticFiles {
    static final String ROOT = "/dev/tributary/dashboard/web/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    /** A file, its content type and its entity tag (from its content: a browser asks again only after an upgrade). */
    record File(String contentType, String text, String etag) {}

    private final Map<String, File> cache = new ConcurrentHashMap<>();

    /** The file of that name, or null if there is none (or the name is not a plain file name). */
    File get(String name) {
        if (!NAME.matcher(name).matches()) {
            return null;
        }
        return cache.computeIfAbsent(name, StaticFiles::load);
    }

    private static File load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return null;
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            byte[] bytes = in.readAllBytes();
            return new File(
                    TYPES.get(extension),
                    new String(bytes, StandardCharsets.UTF_8),
                    "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length + "\"");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
