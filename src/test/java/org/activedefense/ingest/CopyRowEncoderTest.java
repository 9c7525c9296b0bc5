package org.activedefense.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.activedefense.parse.LogRecord;
import org.junit.jupiter.api.Test;

/** COPY text rows: escaping of the format's special characters, NULLs and UTC times to the microsecond. */
class CopyRowEncoderTest {

    @Test
    void textEscapesOnlyWhatCopyTreatsSpecially() {
        assertEquals("plain; 'quoted' <b>", CopyRowEncoder.text(new StringBuilder(), "plain; 'quoted' <b>").toString());
        assertEquals("a\\\\N\\tb\\nc\\rd\uFFFDe", CopyRowEncoder.text(new StringBuilder(), "a\\N\tb\nc\rd\0e").toString());
        assertEquals("\\N", CopyRowEncoder.text(new StringBuilder(), null).toString());
        assertEquals("ünï ✓", CopyRowEncoder.text(new StringBuilder(), "ünï ✓").toString());
    }

    @Test
    void timesAreUtcWithMicroseconds() {
        assertEquals("2026-11-22 13:00:00.000123+00", row(Instant.parse("2026-11-22T13:00:00.000123456Z"))[0]);
        assertEquals("2026-11-22 13:00:00+00", row(Instant.parse("2026-11-22T13:00:00Z"))[0]);
        assertEquals("2026-11-22 13:00:01.5+00".replace(".5", ".500000"), row(Instant.parse("2026-11-22T13:00:01.5Z"))[0]);
        // a second later and back again: the cached second must not leak into another
        assertEquals("1999-12-31 23:59:59.999999+00", row(Instant.parse("1999-12-31T23:59:59.999999Z"))[0]);
        assertEquals("1969-12-31 16:00:00+00", row(Instant.parse("1969-12-31T16:00:00Z"))[0]);
        // outside years 1..9999 the ISO form, which PostgreSQL also reads
        assertEquals("+12000-01-01T00:00:00Z", row(Instant.parse("+12000-01-01T00:00:00Z"))[0]);
    }

    @Test
    void spooledRowsDecodeBackToTheFieldsTheWriterNeeds() {
        for (Instant t : new Instant[] {Instant.parse("2026-11-22T13:00:00.000123Z"), Instant.parse("2026-11-22T13:00:00Z"),
                Instant.parse("+12000-01-01T00:00:00Z")}) {
            LogRecord r = new LogRecord();
            r.receivedAt = t;
            r.device = "fw\\one\ttab";
            r.sender = "192.0.2.1";
            r.raw = "a\\N\tb\nc\rd";
            StringBuilder out = new StringBuilder();
            CopyRowEncoder.append(out, r);
            String[] fields = CopyRowEncoder.fields(out.toString());
            assertEquals(t, CopyRowEncoder.parseTime(fields[0]));
            assertEquals(r.device, fields[1]);
            assertEquals(r.sender, fields[2]);
            assertEquals(null, fields[3]);
            assertEquals(r.raw, fields[24]);
        }
    }

    private static String[] row(Instant receivedAt) {
        LogRecord r = new LogRecord();
        r.receivedAt = receivedAt;
        r.device = "fw";
        r.sender = "192.0.2.1";
        StringBuilder out = new StringBuilder();
        CopyRowEncoder.append(out, r);
        String line = out.toString();
        assertEquals('\n', line.charAt(line.length() - 1));
        String[] columns = line.substring(0, line.length() - 1).split("\t", -1);
        assertEquals(CopyRowEncoder.COLUMNS.split(",").length, columns.length, "one field per column of the COPY list");
        assertEquals(34, columns.length);
        return columns;
    }
}
