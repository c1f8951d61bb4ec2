package dev.crate.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PermissionsTest {
    @Test
    void aReadDenialNamesTheMissingGrant() {
        assertTrue(Permissions.denied("reading secret values in 'prod' needs the admin role or a read grant")
                .startsWith("permission denied: needs prod:read"));
    }

    @Test
    void aWriteDenialNamesTheMissingGrant() {
        assertTrue(Permissions.denied("changing secrets in 'dev' needs the admin role or a write grant")
                .startsWith("permission denied: needs dev:write"));
    }

    @Test
    void anAdminDenialNamesTheRole() {
        assertTrue(Permissions.denied("this operation needs the admin role in the organization")
                .startsWith("permission denied: needs the admin role"));
    }

    @Test
    void anUnknownDetailIsQuoted() {
        assertEquals(
                "permission denied: this API key is limited to the environments [dev]",
                Permissions.denied("this API key is limited to the environments [dev]"));
    }
}
