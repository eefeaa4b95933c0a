package dev.tributary.registry;

/** A parsed model reference: {@code NAME}, {@code NAME@ALIAS} or {@code NAME:VERSION}. */
public record ModelRef(String model, String alias, long version) {
    public static ModelRef parse(String ref) {
        String usage = "model reference '" + ref + "' is not NAME, NAME@ALIAS or NAME:VERSION";
        if (ref == null || ref.isEmpty()) {
            throw new IllegalArgumentException(usage);
        }
        int at = ref.indexOf('@');
        int colon = ref.indexOf(':');
        if (at >= 0 && colon >= 0) {
            throw new IllegalArgumentException(usage);
        }
        if (at >= 0) {
            String model = ref.substring(0, at);
            String alias = ref.substring(at + 1);
            if (!RegistryKeys.isValidName(model) || !RegistryKeys.isValidName(alias)) {
                throw new IllegalArgumentException(usage);
            }
            return new ModelRef(model, alias, -1);
        }
        if (colon >= 0) {
            String model = ref.substring(0, colon);
            String digits = ref.substring(colon + 1);
            if (!RegistryKeys.isValidName(model)
                    || digits.isEmpty()
                    || digits.length() > 19
                    || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException(usage);
            }
            return new ModelRef(model, null, Long.parseLong(digits));
        }
        if (!RegistryKeys.isValidName(ref)) {
            throw new IllegalArgumentException(usage);
        }
        return new ModelRef(ref, null, -1);
    }
}
