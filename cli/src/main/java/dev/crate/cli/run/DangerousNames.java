package dev.crate.cli.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Variable names that make a loader, interpreter or shell run code of the variable's choosing. A
 * secret with such a name would turn write access to the vault into code execution on every host
 * that runs {@code crate run}, so they are refused unless the caller says {@code --allow-dangerous}.
 */
public final class DangerousNames {
    private static final Set<String> NAMES = Set.of(
            "PATH",
            "IFS",
            "ENV",
            "BASH_ENV",
            "PROMPT_COMMAND",
            "SHELLOPTS",
            "BASHOPTS",
            "PS4",
            "CDPATH",
            "GLOBIGNORE",
            "NODE_OPTIONS",
            "NODE_PATH",
            "NODE_EXTRA_CA_CERTS",
            "PYTHONPATH",
            "PYTHONHOME",
            "PYTHONSTARTUP",
            "PYTHONINSPECT",
            "PYTHONUSERBASE",
            "PERL5OPT",
            "PERL5LIB",
            "PERLLIB",
            "PERL5DB",
            "RUBYOPT",
            "RUBYLIB",
            "GEM_PATH",
            "GEM_HOME",
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "CLASSPATH",
            "GCONV_PATH",
            "HOSTALIASES",
            "LOCPATH",
            "NLSPATH",
            "MALLOC_CHECK_",
            "TMPDIR",
            "GIT_SSH",
            "GIT_SSH_COMMAND",
            "GIT_EXEC_PATH",
            "GIT_CONFIG_GLOBAL",
            "EDITOR",
            "VISUAL",
            "PAGER",
            "PHPRC",
            "PHP_INI_SCAN_DIR",
            "LUA_INIT",
            "LUA_PATH",
            "LUA_CPATH",
            "R_PROFILE",
            "R_ENVIRON");
    private static final List<String> PREFIXES = List.of("LD_", "DYLD_", "BASH_FUNC_");

    private DangerousNames() {}

    public static boolean isDangerous(String name) {
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
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
