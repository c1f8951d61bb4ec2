package dev.crate.server.keys;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * The life of an org key version (ARCHITECTURE.md, section 3.4): exactly one {@link #ACTIVE} per org
 * wraps new data keys; a {@link #RETIRING} one still opens what it wraps until the re-wrap job has moved
 * everything; a {@link #RETIRED} one has had its wrapped material destroyed. {@link #sql()} is what the
 * {@code org_keys.state} column holds.
 */
public enum OrgKeyState {
    ACTIVE("active"),
    RETIRING("retiring"),
    RETIRED("retired");

    private final String sql;

    OrgKeyState(String sql) {
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

    public static OrgKeyState of(String sql) {
        for (OrgKeyState state : values()) {
            if (state.sql.equals(sql)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown org key state");
    }

    /** Maps the column for Hibernate. */
    @Converter
    public static class Column implements AttributeConverter<OrgKeyState, String> {
        @Override
        public String convertToDatabaseColumn(OrgKeyState state) {
            return state == null ? null : state.sql;
        }

        @Override
        public OrgKeyState convertToEntityAttribute(String sql) {
            return sql == null ? null : of(sql);
        }
    }
}
