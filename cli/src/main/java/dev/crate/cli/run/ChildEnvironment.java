package dev.crate.cli.run;

import java.util.HashMap;
import java.util.Map;

/**
 * The child's environment: the parent's, without the CLI's own credentials ({@code CRATE_TOKEN},
 * {@code CRATE_WORKLOAD_TOKEN}; a token file's path is no credential and stays), plus the secrets
 * (secrets win, unless {@code preserve} keeps what the parent already has).
 */
public final class ChildEnvironment {
    private ChildEnvironment() {}

    public static Map<String, String> merge(Map<String, String> parent, Map<String, String> secrets, boolean preserve) {
        Map<String, String> env = new HashMap<>(parent);
        env.remove("CRATE_TOKEN");
        env.remove("CRATE_WORKLOAD_TOKEN");
        secrets.forEach((name, value) -> {
            if (!preserve || !env.containsKey(name)) {
                env.put(name, value);
            }
        });
        return env;
    }
}
