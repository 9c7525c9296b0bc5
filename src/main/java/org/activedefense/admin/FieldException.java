package org.activedefense.admin;

/** Bad input in one named field of a request: answered 400 with the field and the reason. */
public final class FieldException extends IllegalArgumentException {

    private final String field;

    public FieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
