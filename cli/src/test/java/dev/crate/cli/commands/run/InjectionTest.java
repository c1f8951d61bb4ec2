package dev.crate.cli.commands.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.protocol.wire.SecretMetadata;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InjectionTest {
    private static SecretMetadata secret(String name) {
        return new SecretMetadata(name, "dev", 1, List.of(), null);
    }

    @Test
    void summaryCountsTheInjectedSecretsAndNamesTheFilter() {
        assertEquals(
                "injected 3 secrets from dev tagged backend",
                new Injection("dev", List.of("backend"), null, List.of("A", "B", "C"), List.of()).summary());
        assertEquals(
                "injected 1 secret from prod",
                new Injection("prod", List.of(), null, List.of("A"), List.of()).summary());
    }

    @Test
    void leftOutNamesTheSecretsTheTagDidNotMatch() {
        Injection injection = new Injection("dev", List.of("backend"), null, List.of("A"), List.of());
        assertEquals(
                Optional.of("1 secret in dev has no tag 'backend': STRIPE_API_KEY"),
                injection.leftOut(List.of(secret("A"), secret("STRIPE_API_KEY"))));
        assertEquals(Optional.empty(), injection.leftOut(List.of(secret("A"))));
    }

    @Test
    void leftOutWithSeveralTagsSaysSo() {
        Injection injection = new Injection("dev", List.of("a", "b"), null, List.of(), List.of());
        assertEquals(
                Optional.of("2 secrets in dev lack some of the tags 'a,b': X, Y"),
                injection.leftOut(List.of(secret("Y"), secret("X"))));
    }

    @Test
    void preservedVariablesAreNotCountedAsInjected() {
        assertEquals(
                "injected 1 secret from dev; kept your own HOME (--preserve-env)",
                new Injection("dev", List.of(), null, List.of("A", "HOME"), List.of("HOME")).summary());
    }
}
