package dev.tributary.registry;

import dev.tributary.schema.serde.EventDecoder;
import java.util.Objects;

/**
 * Keys of the registry topic: {@code spec/NAME}, {@code version/NAME/%020d} and
 * {@code alias/NAME/ALIAS}. Model and alias names match {@link EventDecoder#MODEL_NAME} (letters,
 * digits, '.', '_', '-'), so '/' never occurs inside a name and keys split unambiguously. Zero-padded
 * version numbers make the keys of one model sort in version order.
 */
public final class RegistryKeys {
    private RegistryKeys() {}

    /** What a key addresses. */
    public enum Kind {
        SPEC,
        VERSION,
        ALIAS
    }

    /**
     * A parsed key.
     *
     * @param kind what the key addresses
     * @param model the model name
     * @param version the version number for {@link Kind#VERSION}, else -1
     * @param alias the alias name for {@link Kind#ALIAS}, else null
     */
    public record Key(Kind kind, String model, long version, String alias) {
        public Key {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(model, "model");
        }

        /** The key's string form; {@code parse(k.toKeyString()).equals(k)}. */
        public String toKeyString() {
            return switch (kind) {
                case SPEC -> RegistryKeys.spec(model);
                case VERSION -> RegistryKeys.version(model, version);
                case ALIAS -> RegistryKeys.alias(model, alias);
            };
        }
    }

    public static String spec(String name) {
        return "spec/" + checkName("model", name);
    }

    public static String version(String name, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version of model '" + name + "' must be >= 0, not " + version);
        }
        // As String.format("%020d", version), without its cost on every publication.
        String digits = Long.toString(version);
        return "version/" + checkName("model", name) + "/" + "0".repeat(20 - digits.length()) + digits;
    }

    public static String alias(String name, String alias) {
        return "alias/" + checkName("model", name) + "/" + checkName("alias", alias);
    }

    /** Parses a registry key, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static Key parse(String key) {
        if (key == null) {
            throw new IllegalArgumentException("registry key is null");
        }
        String[] parts = key.split("/", -1);
        String expected = "expected spec/NAME, version/NAME/NUMBER or alias/NAME/ALIAS";
        switch (parts[0]) {
            case "spec" -> {
                if (parts.length != 2) {
                    throw bad(key, expected);
                }
                return new Key(Kind.SPEC, nameIn(key, "model", parts[1]), -1, null);
            }
            case "version" -> {
                if (parts.length != 3) {
                    throw bad(key, expected);
                }
                String digits = parts[2];
                if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw bad(key, "the version '" + digits + "' is not a non-negative decimal number");
                }
                long version;
                try {
                    version = Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw bad(key, "the version '" + digits + "' does not fit in a long");
                }
                return new Key(Kind.VERSION, nameIn(key, "model", parts[1]), version, null);
            }
            case "alias" -> {
                if (parts.length != 3) {
                    throw bad(key, expected);
                }
                return new Key(Kind.ALIAS, nameIn(key, "model", parts[1]), -1, nameIn(key, "alias", parts[2]));
            }
            default -> throw bad(key, expected);
        }
    }

    /** True if {@code name} is a valid model or alias name. */
    public static boolean isValidName(String name) {
        return name != null && EventDecoder.MODEL_NAME.matcher(name).matches();
    }

    static String checkName(String what, String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException(what + " name '" + name
                    + "' is invalid: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static String nameIn(String key, String what, String name) {
        if (!isValidName(name)) {
            throw bad(key, "the " + what + " name '" + name + "' is invalid (1-128 letters, digits, '.', '_' or '-')");
        }
        return name;
    }

    private static IllegalArgumentException bad(String key, String why) {
        String shown = key.length() > 200 ? key.substring(0, 200) + "..." : key;
        return new IllegalArgumentException("bad registry key '" + shown + "': " + why);
    }
}
