package dev.crate.server.keys;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * The life of an org's transport key pair (ARCHITECTURE.md, section 3.4): the {@link #ACTIVE} one is
 * published and opens sealed values; after a rotation the previous one stays in {@link #GRACE} until its
 * grace period ends, then is {@link #DISABLED} and its private half destroyed (its kid is still
 * recognised, to tell a client its key expired). {@link #sql()} is what the {@code transport_keys.state}
 * column holds.
 */
public enum TransportKeyState {
    ACTIVE("active"),
    GRACE("grace"),
    DISABLED("disabled");

    private final String sql;

    TransportKeyState(String sql) {
        this.sql = sql;
    }

    /** The column value. */
    public String sql() {
        return sql;
    }

    /** The column value as an SQL string literal, for statements written out in full. */
    public String literal() {
        return "'" + sql + "'";
    }

    public static TransportKeyState of(String sql) {
        for (TransportKeyState state : values()) {
            if (state.sql.equals(sql)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown transport key state");
    }

    /** Maps the column for Hibernate. */
    @Converter
    public static class Column implements AttributeConverter<TransportKeyState, String> {
        @Override
        public String convertToDatabaseColumn(TransportKeyState state) {
            return state == null ? null : state.sql;
        }

        @Override
        public TransportKeyState convertToEntityAttribute(String sql) {
            return sql == null ? null : of(sql);
        }
    }
}
