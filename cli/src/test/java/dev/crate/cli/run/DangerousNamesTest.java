package dev.crate.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DangerousNamesTest {
    @Test
    void refusesLoaderAndInterpreterHijacks() {
        for (String name : List.of(
                "LD_PRELOAD",
                "LD_LIBRARY_PATH",
                "DYLD_INSERT_LIBRARIES",
                "NODE_OPTIONS",
                "PYTHONPATH",
                "PERL5OPT",
                "BASH_ENV",
                "PROMPT_COMMAND",
                "JAVA_TOOL_OPTIONS",
                "PATH")) {
            assertTrue(DangerousNames.isDangerous(name), name);
        }
    }

    @Test
    void allowsOrdinaryNames() {
        assertFalse(DangerousNames.isDangerous("DATABASE_URL"));
        assertFalse(DangerousNames.isDangerous("STRIPE_API_KEY"));
    }

    @Test
    void childEnvironmentDropsTheCliTokenAndSecretsWin() {
        Map<String, String> env = ChildEnvironment.merge(
                Map.of("CRATE_TOKEN", "t", "A", "parent", "HOME", "/h"), Map.of("A", "secret"), false);
        assertEquals(Map.of("A", "secret", "HOME", "/h"), env);
    }

    @Test
    void preserveEnvKeepsTheParentsValue() {
        assertEquals(
                "parent",
                ChildEnvironment.merge(Map.of("A", "parent"), Map.of("A", "secret", "B", "b"), true)
                        .get("A"));
    }
}
