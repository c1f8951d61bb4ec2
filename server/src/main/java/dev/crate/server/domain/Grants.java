package dev.crate.server.domain;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-environment permissions of a {@code member} (or a member-role API key): stored as
 * {@code env:read} / {@code env:write} strings, exchanged as {@code {"dev": ["read", "write"]}}.
 */
public record Grants(Map<String, Set<Permission>> byEnvironment) {
    public static final Grants NONE = new Grants(Map.of());

    public boolean allows(String environment, Permission permission) {
        Set<Permission> granted = byEnvironment.get(environment);
        return granted != null && granted.contains(permission);
    }

    public static Grants fromStored(String[] stored) {
        Map<String, Set<Permission>> map = new TreeMap<>();
        if (stored != null) {
            for (String entry : stored) {
                int colon = entry.lastIndexOf(':');
                if (colon > 0) {
                    Permission permission =
                            Permission.valueOf(entry.substring(colon + 1).toUpperCase(java.util.Locale.ROOT));
                    map.computeIfAbsent(entry.substring(0, colon), e -> EnumSet.noneOf(Permission.class))
                            .add(permission);
                }
            }
        }
        return new Grants(Collections.unmodifiableMap(map));
    }

    /** Parses the wire form; unknown permissions or invalid environment names are a client error. */
    public static Grants fromWire(Map<String, List<String>> wire) {
        if (wire == null) {
            return NONE;
        }
        Map<String, Set<Permission>> map = new TreeMap<>();
        wire.forEach((environment, permissions) -> {
            if (environment == null || !Limits.ENVIRONMENT.matcher(environment).matches()) {
                throw new CrateException(ErrorCode.INVALID_GRANTS, "grants are keyed by environment names");
            }
            Set<Permission> set = EnumSet.noneOf(Permission.class);
            for (String permission : permissions == null ? List.<String>of() : permissions) {
                if ("read".equals(permission)) {
                    set.add(Permission.READ);
                } else if ("write".equals(permission)) {
                    set.add(Permission.WRITE);
                } else {
                    throw new CrateException(ErrorCode.INVALID_GRANTS, "a grant is \"read\" or \"write\"");
                }
            }
            if (!set.isEmpty()) {
                map.put(environment, set);
            }
        });
        return new Grants(Collections.unmodifiableMap(map));
    }

    public String[] toStored() {
        List<String> out = new ArrayList<>();
        byEnvironment.forEach((env, perms) -> perms.forEach(p -> out.add(env + ":" + p.wire())));
        return out.toArray(String[]::new);
    }

    public Map<String, List<String>> toWire() {
        Map<String, List<String>> out = new TreeMap<>();
        byEnvironment.forEach((env, perms) ->
                out.put(env, perms.stream().map(Permission::wire).sorted().toList()));
        return out;
    }
}
