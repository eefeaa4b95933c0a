package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelRefTest {
    @Test
    void parsesModelReferences() {
        assertThat(ModelRef.parse("m")).isEqualTo(new ModelRef("m", null, -1));
        assertThat(ModelRef.parse("m@champion")).isEqualTo(new ModelRef("m", "champion", -1));
        assertThat(ModelRef.parse("m.1:12")).isEqualTo(new ModelRef("m.1", null, 12));
        for (String bad : new String[] {"", "m@", "@a", "m:", "m:x", "m:-1", "m@a:1", "a b", "m@a@b"}) {
            assertThatThrownBy(() -> ModelRef.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("model reference '" + bad + "' is not NAME, NAME@ALIAS or NAME:VERSION");
        }
    }
}
