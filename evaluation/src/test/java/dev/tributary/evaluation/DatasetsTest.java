package dev.tributary.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @Test
    void findsAndReadsTheSharedDatasets() {
        assertThat(Files.isDirectory(Datasets.folder())).isTrue();
        Dataset spam = Datasets.load("spambase");
        assertThat(spam.rows()).isEqualTo(4601);
        assertThat(spam.features()).hasSize(57);
        assertThat(spam.target()).isEqualTo("is_spam");
        assertThat(Datasets.load("diamonds").rows()).isEqualTo(53_940);
        assertThat(Datasets.load("breast_cancer").features()).hasSize(30);
    }

    @Test
    void aMissingFolderFailsLoudly(@TempDir Path empty) {
        String old = System.getProperty(Datasets.PROPERTY);
        System.setProperty(Datasets.PROPERTY, empty.resolve("nope").toString());
        try {
            assertThatThrownBy(Datasets::folder)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a directory");
        } finally {
            if (old == null) {
                System.clearProperty(Datasets.PROPERTY);
            } else {
                System.setProperty(Datasets.PROPERTY, old);
            }
        }
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.csv");
        Files.writeString(file, "a,b,y\n1,2,3\n4.5,-1,0\n");
        Dataset d = Datasets.read(file, "tiny");
        assertThat(d.features()).containsExactly("a", "b");
        assertThat(d.y()).containsExactly(3.0, 0.0);
        assertThat(d.x()[1]).containsExactly(4.5, -1.0);
    }
}
