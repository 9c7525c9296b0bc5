package org.activedefense.parse;

/**
 * A line that cannot be stored as a log row; the message is the reason kept in {@code rejected_line}.
 *
 * <p>No stack trace is filled in: a flood of garbage must cost no more than the garbage itself.
 */
public final class RejectedLineException extends Exception {

    public RejectedLineException(String reason) {
        super(reason, null, false, false);
    }
}
