package dev.crate.cli.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Variable names that make a loader, interpreter, shell or tool run code of the variable's choosing (or load it
 * from a path or a setting the variable chooses). A secret with such a name would turn write access to the vault
 * into code execution on every host that runs {@code crate run}, so they are refused unless the caller says
 * {@code --allow-dangerous}. Names are compared case-insensitively (Windows reads {@code Path} as {@code PATH}, npm
 * reads {@code npm_config_*} in either case). Families whose members a runtime adds over time are prefixes.
 * docs/CLI.md ("Run") and docs/SECURITY.md list them by family; DangerousNamesTest tests each family, with real
 * children where the runtime is installed.
 */
public final class DangerousNames {
    private static final Set<String> NAMES = Set.of(
            // shells: startup files, prompts and traces expanded with command substitution, parsing
            "PATH",
            "IFS",
            "ENV",
            "BASH_ENV",
            "PROMPT_COMMAND",
            "PS0",
            "PS1",
            "PS2",
            "PS4",
            "SHELLOPTS",
            "BASHOPTS",
            "CDPATH",
            "GLOBIGNORE",
            "ZDOTDIR",
            "FPATH",
            // Node.js and npm
            "NODE_OPTIONS",
            "NODE_PATH",
            "NODE_REPL_EXTERNAL_MODULE",
            "NODE_EXTRA_CA_CERTS",
            // Ruby
            "RUBYOPT",
            "RUBYLIB",
            "RUBYSHELL",
            "GEM_PATH",
            "GEM_HOME",
            "BUNDLE_GEMFILE",
            "RUBYGEMS_GEMDEPS",
            // Perl
            "PERL5OPT",
            "PERL5LIB",
            "PERLLIB",
            "PERL5DB",
            "PERL5SHELL",
            // Java and its launchers
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "CLASSPATH",
            "JAVA_OPTS",
            "MAVEN_OPTS",
            "GRADLE_OPTS",
            // git: configuration from the environment (core.fsmonitor, core.sshCommand, ...) and helpers it runs
            "GIT_CONFIG_COUNT",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG",
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM",
            "GIT_DIR",
            "GIT_COMMON_DIR",
            "GIT_TEMPLATE_DIR",
            "GIT_SSH",
            "GIT_SSH_COMMAND",
            "GIT_EXEC_PATH",
            "GIT_ASKPASS",
            "GIT_EXTERNAL_DIFF",
            "GIT_PAGER",
            "GIT_EDITOR",
            "GIT_SEQUENCE_EDITOR",
            "GIT_PROXY_COMMAND",
            // dynamic loader and C library
            "GCONV_PATH",
            "GLIBC_TUNABLES",
            "HOSTALIASES",
            "LOCPATH",
            "NLSPATH",
            "MALLOC_CHECK_",
            "TMPDIR",
            "OPENSSL_CONF",
            "OPENSSL_ENGINES",
            "OPENSSL_MODULES",
            // programs that tools start on the user's behalf
            "EDITOR",
            "VISUAL",
            "PAGER",
            "MANPAGER",
            "SYSTEMD_PAGER",
            "BROWSER",
            "LESSOPEN",
            "LESSCLOSE",
            "SSH_ASKPASS",
            "SUDO_ASKPASS",
            // other interpreters
            "PHPRC",
            "PHP_INI_SCAN_DIR",
            "LUA_INIT",
            "LUA_PATH",
            "LUA_CPATH",
            "R_PROFILE",
            "R_PROFILE_USER",
            "R_ENVIRON",
            "R_ENVIRON_USER");

    /**
     * {@code PYTHON}: every variable CPython reads starts so ({@code PYTHONSTARTUP}, {@code PYTHONPATH},
     * {@code PYTHONWARNINGS} (its category imports a module), {@code PYTHONBREAKPOINT}, ... and those each release
     * adds). {@code LD_}, {@code DYLD_}: the loaders. {@code BASH_FUNC_}: exported bash functions.
     * {@code GIT_CONFIG_KEY_}, {@code GIT_CONFIG_VALUE_}: git configuration pairs. {@code NPM_CONFIG_}: npm settings
     * ({@code script-shell}, {@code node-options}, {@code git}, ...).
     */
    private static final List<String> PREFIXES =
            List.of("LD_", "DYLD_", "BASH_FUNC_", "PYTHON", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "NPM_CONFIG_");

    private DangerousNames() {}

    public static boolean isDangerous(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return NAMES.contains(upper) || PREFIXES.stream().anyMatch(upper::startsWith);
    }

    public static List<String> among(Collection<String> names) {
        List<String> found = new ArrayList<>();
        for (String name : names) {
            if (isDangerous(name)) {
                found.add(name);
            }
        }
        return found;
    }
}
