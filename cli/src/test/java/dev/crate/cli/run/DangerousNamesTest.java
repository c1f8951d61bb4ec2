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

    /** One list per family of issue 15; prefixes are tested with members the runtimes have or may add. */
    static final Map<String, List<String>> FAMILIES = Map.of(
            "python",
            List.of(
                    "PYTHONWARNINGS",
                    "PYTHONSTARTUP",
                    "PYTHONPATH",
                    "PYTHONHOME",
                    "PYTHONINSPECT",
                    "PYTHONBREAKPOINT",
                    "PYTHONUSERBASE",
                    "PYTHONPYCACHEPREFIX",
                    "PYTHON_SOMETHING_NEW"),
            "node",
            List.of("NODE_OPTIONS", "NODE_PATH", "NODE_REPL_EXTERNAL_MODULE", "npm_config_script_shell"),
            "ruby",
            List.of("RUBYOPT", "RUBYLIB", "GEM_PATH", "BUNDLE_GEMFILE"),
            "perl",
            List.of("PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB"),
            "java",
            List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "JAVA_OPTS"),
            "git",
            List.of(
                    "GIT_CONFIG_COUNT",
                    "GIT_CONFIG_KEY_0",
                    "GIT_CONFIG_VALUE_12",
                    "GIT_CONFIG_PARAMETERS",
                    "GIT_CONFIG_GLOBAL",
                    "GIT_SSH",
                    "GIT_SSH_COMMAND",
                    "GIT_EXEC_PATH",
                    "GIT_ASKPASS",
                    "GIT_EXTERNAL_DIFF",
                    "GIT_PAGER",
                    "GIT_EDITOR",
                    "GIT_PROXY_COMMAND",
                    "GIT_DIR",
                    "GIT_TEMPLATE_DIR"),
            "shells",
            List.of(
                    "BASH_ENV",
                    "ENV",
                    "PS4",
                    "PS1",
                    "PROMPT_COMMAND",
                    "SHELLOPTS",
                    "BASHOPTS",
                    "IFS",
                    "BASH_FUNC_ls%%",
                    "ZDOTDIR",
                    "PATH",
                    "Path"),
            "loaders",
            List.of(
                    "LD_PRELOAD",
                    "LD_LIBRARY_PATH",
                    "LD_AUDIT",
                    "DYLD_INSERT_LIBRARIES",
                    "GCONV_PATH",
                    "GLIBC_TUNABLES"),
            "generic",
            List.of(
                    "EDITOR",
                    "VISUAL",
                    "PAGER",
                    "BROWSER",
                    "LESSOPEN",
                    "LESSCLOSE",
                    "SSH_ASKPASS",
                    "MANPAGER",
                    "OPENSSL_CONF"));

    @Test
    void refusesEveryFamily() {
        FAMILIES.forEach((family, names) -> {
            for (String name : names) {
                assertTrue(DangerousNames.isDangerous(name), family + ": " + name);
            }
        });
    }

    @Test
    void allowsOrdinaryNames() {
        for (String name : List.of(
                "DATABASE_URL",
                "STRIPE_API_KEY",
                "GIT_TOKEN",
                "GITHUB_TOKEN",
                "NODE_ENV",
                "NPM_TOKEN",
                "JAVA_VERSION_LABEL",
                "PY_API_KEY",
                "RUBY_ENV",
                "LDAP_PASSWORD",
                "EDITOR_API_KEY")) {
            assertFalse(DangerousNames.isDangerous(name), name);
        }
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
