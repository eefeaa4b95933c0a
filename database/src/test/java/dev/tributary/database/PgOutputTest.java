package dev.tributary.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PgOutputTest {
    /** Builds pgoutput messages as PostgreSQL writes them. */
    static final class Writer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);

        Writer b(char c) throws IOException {
            out.writeByte(c);
            return this;
        }

        Writer i(int v) throws IOException {
            out.writeInt(v);
            return this;
        }

        Writer l(long v) throws IOException {
            out.writeLong(v);
            return this;
        }

        Writer s(short v) throws IOException {
            out.writeShort(v);
            return this;
        }

        Writer str(String v) throws IOException {
            out.write(v.getBytes(StandardCharsets.UTF_8));
            out.writeByte(0);
            return this;
        }

        /** A tuple: null for SQL NULL, "~" for an unchanged TOAST value. */
        Writer tuple(String... values) throws IOException {
            s((short) values.length);
            for (String v : values) {
                if (v == null) {
                    b('n');
                } else if (v.equals("~")) {
                    b('u');
                } else {
                    byte[] text = v.getBytes(StandardCharsets.UTF_8);
                    b('t').i(text.length);
                    out.write(text);
                }
            }
            return this;
        }

        ByteBuffer buffer() {
            byte[] all = bytes.toByteArray();
            // as pgjdbc hands it over: a slice of a larger array
            byte[] padded = new byte[all.length + 3];
            System.arraycopy(all, 0, padded, 3, all.length);
            return ByteBuffer.wrap(padded, 3, all.length).slice();
        }
    }

    static ByteBuffer relation() throws IOException {
        Writer w =
                new Writer().b('R').i(16384).str("public").str("houses").b('f').s((short) 3);
        for (String c : new String[] {"id", "sqft", "price"}) {
            w.b(c.equals("id") ? (char) 1 : (char) 0).str(c).i(25).i(-1);
        }
        return w.buffer();
    }

    @Test
    void decodesATransactionOfChanges() throws IOException {
        PgOutput decoder = new PgOutput();
        assertThat(decoder.decode(new Writer().b('B').l(0x1000).l(0).i(7).buffer()))
                .isEqualTo(new PgOutput.Begin(0x1000, 7));
        assertThat(decoder.decode(relation())).isNull();
        PgOutput.Change insert = (PgOutput.Change) decoder.decode(
                new Writer().b('I').i(16384).b('N').tuple("1", "80.5", null).buffer());
        assertThat(insert.operation()).isEqualTo(PgOutput.Operation.INSERT);
        assertThat(insert.table()).isEqualTo("public.houses");
        assertThat(insert.row().keySet()).containsExactly("id", "sqft", "price");
        assertThat(insert.row())
                .containsEntry("id", "1")
                .containsEntry("sqft", "80.5")
                .containsEntry("price", null);
        PgOutput.Change update = (PgOutput.Change) decoder.decode(new Writer()
                .b('U')
                .i(16384)
                .b('O')
                .tuple("1", "80.5", null)
                .b('N')
                .tuple("1", "~", "250000")
                .buffer());
        assertThat(update.old()).containsEntry("price", null);
        assertThat(update.row()).containsEntry("price", "250000").containsEntry("sqft", PgOutput.UNCHANGED_TOAST);
        PgOutput.Change delete = (PgOutput.Change) decoder.decode(
                new Writer().b('D').i(16384).b('O').tuple("1", "80.5", "250000").buffer());
        assertThat(delete.operation()).isEqualTo(PgOutput.Operation.DELETE);
        assertThat(decoder.decode(
                        new Writer().b('C').b((char) 0).l(0x1000).l(0x1040).l(0).buffer()))
                .isEqualTo(new PgOutput.Commit(0x1000, 0x1040));
    }

    @Test
    void anUpdateWithoutTheOldRowHasAnEmptyOne() throws IOException {
        PgOutput decoder = new PgOutput();
        decoder.decode(relation());
        PgOutput.Change update = (PgOutput.Change) decoder.decode(
                new Writer().b('U').i(16384).b('N').tuple("2", "1", "3").buffer());
        assertThat(update.old()).isEmpty();
        assertThat(update.row()).containsEntry("id", "2");
    }

    @Test
    void aChangeOfAnUndescribedRelationIsRefused() throws IOException {
        ByteBuffer insert = new Writer().b('I').i(99).b('N').tuple("1").buffer();
        assertThatThrownBy(() -> new PgOutput().decode(insert)).hasMessageContaining("relation 99");
    }

    @Test
    void typesAndOriginsAreSkipped() throws IOException {
        assertThat(new PgOutput()
                        .decode(new Writer().b('Y').i(1).str("public").str("t").buffer()))
                .isNull();
        assertThat(Arrays.asList(new PgOutput()
                        .decode(new Writer().b('T').i(1).b((char) 0).i(16384).buffer())))
                .containsExactly(new PgOutput.Truncate(1));
    }
}
