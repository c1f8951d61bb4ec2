package dev.crate.cli.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.wire.SecretChange;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private static SecretChange event(String name, String env, String... tags) {
        return new SecretChange(
                name, env, 2, "stored", List.of(tags), java.time.OffsetDateTime.parse("2026-12-05T20:00:00Z"));
    }

    @Test
    void aChangeToAHeldSecretConcernsTheClientEvenIfItLostItsTag() {
        Selection selection = new Selection("dev", List.of("backend"), null);
        assertTrue(selection.concerns(event("DB", "dev"), Set.of("DB")));
    }

    @Test
    void aNewSecretConcernsTheClientOnlyWhenItMatchesTagsAndNames() {
        Selection tagged = new Selection("dev", List.of("backend"), null);
        assertTrue(tagged.concerns(event("NEW", "dev", "backend", "x"), Set.of()));
        assertFalse(tagged.concerns(event("NEW", "dev", "frontend"), Set.of()));
        Selection named = new Selection("dev", List.of(), List.of("A"));
        assertTrue(named.concerns(event("A", "dev"), Set.of()));
        assertFalse(named.concerns(event("B", "dev"), Set.of()));
    }

    @Test
    void anotherEnvironmentNeverConcernsTheClient() {
        Selection selection = new Selection("dev", List.of(), null);
        assertFalse(selection.concerns(event("DB", "prod"), Set.of("DB")));
    }
}
