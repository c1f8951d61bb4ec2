package dev.crate.server.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console's Content-Security-Policy: only this origin and the identity provider's (docs/CONSOLE.md, section 3). */
class ConsoleHeadersTest {

    @Test
    void withoutAnIdentityProviderOnlyThisOrigin() {
        String policy = ConsoleHeaders.policy(Optional.empty(), Optional.empty());
        assertTrue(policy.contains("connect-src 'self';"), policy);
        assertTrue(policy.startsWith("default-src 'none'; script-src 'self'; style-src 'self';"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
        assertFalse(policy.contains("unsafe"), policy);
    }

    @Test
    void theIssuerOriginAndExtraOriginsMayBeCalled() {
        String policy = ConsoleHeaders.policy(
                Optional.of("https://id.example.com:8443/realms/crate"),
                Optional.of("https://tokens.example.com/oauth, javascript:alert(1) not-a-url"));
        assertTrue(
                policy.contains("connect-src 'self' https://id.example.com:8443 https://tokens.example.com;"), policy);
    }

    @Test
    void onlyHttpOriginsAreTaken() {
        assertEquals(Optional.of("http://localhost:8180"), ConsoleHeaders.origin("http://localhost:8180/realms/crate"));
        assertEquals(Optional.empty(), ConsoleHeaders.origin("data:text/plain,x"));
        assertEquals(Optional.empty(), ConsoleHeaders.origin("'unsafe-inline'"));
        assertEquals(Optional.empty(), ConsoleHeaders.origin("https://"));
    }
}
