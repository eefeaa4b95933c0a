package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.registry.RegistryKeys.Key;
import dev.tributary.registry.RegistryKeys.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryKeysTest {

    @Test
    void formatsKeys() {
        assertThat(RegistryKeys.spec("fraud")).isEqualTo("spec/fraud");
        assertThat(RegistryKeys.version("fraud", 42)).isEqualTo("version/fraud/00000000000000000042");
        assertThat(RegistryKeys.alias("fraud", "champion")).isEqualTo("alias/fraud/champion");
    }

    @Test
    void versionKeysSortInVersionOrder() {
        assertThat(RegistryKeys.version("m", 9)).isLessThan(RegistryKeys.version("m", 10));
        assertThat(RegistryKeys.version("m", Long.MAX_VALUE)).hasSize("version/m/".length() + 20);
    }

    @Test
    void roundTrips() {
        assertThat(RegistryKeys.parse(RegistryKeys.spec("a.b_c-1"))).isEqualTo(new Key(Kind.SPEC, "a.b_c-1", -1, null));
        assertThat(RegistryKeys.parse(RegistryKeys.version("m", 0))).isEqualTo(new Key(Kind.VERSION, "m", 0, null));
        assertThat(RegistryKeys.parse(RegistryKeys.version("m", Long.MAX_VALUE)))
                .isEqualTo(new Key(Kind.VERSION, "m", Long.MAX_VALUE, null));
        assertThat(RegistryKeys.parse(RegistryKeys.alias("m", "champion")))
                .isEqualTo(new Key(Kind.ALIAS, "m", -1, "champion"));
        for (String key : new String[] {"spec/x", "version/x/00000000000000000007", "alias/x/challenger"}) {
            assertThat(RegistryKeys.parse(key).toKeyString()).isEqualTo(key);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "spec",
                "spec/",
                "spec/a/b",
                "model/a",
                "version/a",
                "version/a/",
                "version/a/-1",
                "version/a/1x",
                "version/a/99999999999999999999",
                "alias/a",
                "alias/a/",
                "alias/a/b/c",
                "spec/a b",
                "spec/.x"
            })
    void rejectsBadKeysClearly(String key) {
        assertThatThrownBy(() -> RegistryKeys.parse(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad registry key '" + key + "'");
    }

    @Test
    void rejectsBadNamesWhenFormatting() {
        assertThatThrownBy(() -> RegistryKeys.spec("a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model name 'a/b' is invalid");
        assertThatThrownBy(() -> RegistryKeys.alias("m", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alias name '' is invalid");
        assertThatThrownBy(() -> RegistryKeys.version("m", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> RegistryKeys.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
