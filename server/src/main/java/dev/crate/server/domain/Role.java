package dev.crate.server.domain;

import dev.crate.protocol.ErrorCode;
import java.util.Locale;

/** An org role. In this version only {@code admin} may touch secrets (the Crate docs' rule). */
public enum Role {
    ADMIN,
    MEMBER,
    VIEWER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        if (text != null) {
            for (Role role : values()) {
                if (role.wire().equals(text)) {
                    return role;
                }
            }
        }
        throw new CrateException(ErrorCode.INVALID_API_KEY_REQUEST, "role must be one of admin, member, viewer");
    }
}
