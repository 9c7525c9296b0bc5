package org.activedefense.parse;

import de.siegmar.fastcsv.reader.CsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordType;

/**
 * Receives one CSV record from FastCSV and keeps only the positions {@link CsvBodyParser} reads.
 *
 * <p>A PAN-OS 10.x record has over a hundred fields of which about thirty become columns; building a
 * String for each of the others was most of the parsing cost. One instance per record: not reusable,
 * not thread-safe.
 */
final class CsvFieldCollector extends CsvCallbackHandler<CsvFieldCollector> {

    /** Positions that may be read (see {@link #positions}); everything else is counted, not materialised. */
    private final boolean[] kept;
    private final String[] fields;
    private int count;
    private RecordType recordType = RecordType.DATA;

    /** Collects the positions set in {@code kept} (from {@link #positions}; shared, never modified). */
    CsvFieldCollector(boolean[] kept) {
        this.kept = kept;
        this.fields = new String[kept.length];
    }

    /** The mask for {@link #CsvFieldCollector(boolean[])} that keeps exactly {@code positions}. */
    static boolean[] positions(int... positions) {
        int size = 0;
        for (int position : positions) {
            size = Math.max(size, position + 1);
        }
        boolean[] kept = new boolean[size];
        for (int position : positions) {
            kept[position] = true;
        }
        return kept;
    }

    /** Number of fields in the record, kept or not. */
    int count() {
        return count;
    }

    /**
     * Field {@code index}: null when beyond the record's end or empty/blank.
     *
     * @throws IllegalStateException when {@code index} is not a kept position (a programming error)
     */
    String field(int index) {
        if (index >= count) {
            return null;
        }
        if (index >= kept.length || !kept[index]) {
            throw new IllegalStateException("CSV position " + index + " is not collected");
        }
        return FieldDecoder.text(fields[index]);
    }


    @Override
    protected RecordType getRecordType() {
        return recordType;
    }

    @Override
    protected int getFieldCount() {
        return count;
    }

    @Override
    protected void beginRecord(long startingLineNumber) {
        count = 0;
        recordType = RecordType.DATA;
    }

    @Override
    protected void addField(char[] buffer, int offset, int length, boolean quoted) {
        if (count < kept.length && kept[count]) {
            fields[count] = new String(buffer, offset, length);
        }
        count++;
    }

    @Override
    protected void setComment(char[] buffer, int offset, int length) {
        recordType = RecordType.COMMENT;
    }

    @Override
    protected void setEmpty() {
        recordType = RecordType.EMPTY;
    }

    @Override
    protected CsvFieldCollector buildRecord() {
        return this;
    }
}
