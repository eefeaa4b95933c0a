package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    @Test
    void oneEventIsSingularAndAStopBeforeTheEndSaysWhatWasNotSent() {
        StringWriter text = new StringWriter();
        ProgressLine one = new ProgressLine(new PrintWriter(text, true), 1, false);
        one.update(1);
        one.done(1, "t", "from f");
        assertThat(text.toString()).startsWith("Published 1 event from f to t");
        assertThat(one.stoppedEarly()).isNull();

        ProgressLine cut = new ProgressLine(new PrintWriter(new StringWriter(), true), 10, false);
        cut.update(3);
        assertThat(cut.stoppedEarly()).isEqualTo("stopped after 3 of 10 events; the others were not sent");
    }
}
