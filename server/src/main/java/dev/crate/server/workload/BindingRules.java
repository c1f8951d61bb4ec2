package dev.crate.server.workload;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Grants;
import dev.crate.server.domain.Role;
import dev.crate.server.domain.Validation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a binding may say (validation, stable {@code invalid_workload_identity} answers) and how its rules
 * meet a verified token's claims (docs/API.md, section 14: globs and claim names).
 */
final class BindingRules {
    static final int DEFAULT_TTL = 900;
    static final int MIN_TTL = 60;
    static final int MAX_TTL = 43_200;
    private static final int MAX_CLAIM_RULES = 16;
    private static final int MAX_TEXT = 512;
    /** Checked by the exchange itself, or by their own field: never a claim rule. */
    private static final Set<String> RESERVED = Set.of("iss", "aud", "sub", "exp", "nbf", "iat", "jti");

    private BindingRules() {}

    static Binding validate(WorkloadIdentityRequest request) {
        if (request == null) {
            throw invalid("a JSON body with name, issuer, audience, subject and role is required");
        }
        String name = request.name();
        if (name == null
                || name.isBlank()
                || name.length() > Limits.MAX_API_KEY_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            throw invalid("name is required: 1 to 64 printable characters");
        }
        String issuer = issuer(request.issuer());
        String audience = text(request.audience(), "audience");
        String subject = text(request.subject(), "subject");
        Map<String, String> claims = claims(request.claims());
        if (request.role() == null) {
            throw invalid("role is required (admin, member or viewer): a binding never defaults to a role");
        }
        Role role = role(request.role());
        Grants grants = Grants.fromWire(request.grants());
        if (role != Role.MEMBER && !grants.byEnvironment().isEmpty()) {
            throw new CrateException(ErrorCode.INVALID_GRANTS, "grants apply to the member role only");
        }
        List<String> environments = request.environments() == null
                ? null
                : request.environments().stream()
                        .map(Validation::environment)
                        .distinct()
                        .sorted()
                        .toList();
        List<String> tags = request.tags() == null ? null : Validation.tags(request.tags());
        if (environments != null && environments.isEmpty() || tags != null && tags.isEmpty()) {
            throw invalid(
                    "environments and tags, when given, name at least one entry (leave them out for no restriction)");
        }
        int ttl = request.tokenTtlSeconds() == null ? DEFAULT_TTL : request.tokenTtlSeconds();
        if (ttl < MIN_TTL || ttl > MAX_TTL) {
            throw invalid("token_ttl_seconds is " + MIN_TTL + " to " + MAX_TTL + " (default " + DEFAULT_TTL + ")");
        }
        return new Binding(
                name,
                issuer,
                audience,
                subject,
                claims,
                role,
                grants,
                environments,
                tags,
                Boolean.TRUE.equals(request.readOnly()),
                ttl);
    }

    /** {@code https}, or {@code http} on the loopback names only (tests); no user info, query or fragment. */
    static String issuer(String issuer) {
        if (issuer == null || issuer.isBlank() || issuer.length() > MAX_TEXT) {
            throw invalid("issuer is required: the https URL tokens name in their iss claim");
        }
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw invalid("issuer is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("issuer must be an absolute URL with a host and without user info, query or fragment");
        }
        boolean loopback = host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw invalid("issuer must use https (http only on 127.0.0.1 or localhost, for tests)");
        }
        return issuer;
    }

    private static String text(String value, String field) {
        if (value == null
                || value.isEmpty()
                || value.length() > MAX_TEXT
                || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + " is required: 1 to " + MAX_TEXT + " printable characters");
        }
        return value;
    }

    private static Map<String, String> claims(Map<String, String> claims) {
        Map<String, String> out = new TreeMap<>();
        if (claims == null) {
            return out;
        }
        if (claims.size() > MAX_CLAIM_RULES) {
            throw invalid("at most " + MAX_CLAIM_RULES + " claim rules");
        }
        claims.forEach((name, value) -> {
            if (name == null
                    || name.isEmpty()
                    || name.length() > 128
                    || name.chars().anyMatch(Character::isISOControl)) {
                throw invalid("a claim name is 1 to 128 printable characters");
            }
            if (RESERVED.contains(name)) {
                throw invalid("claim '" + name + "' cannot be a claim rule (use issuer, audience or subject)");
            }
            out.put(name, text(value, "the value of claim '" + name + "'"));
        });
        return out;
    }

    private static Role role(String text) {
        for (Role role : Role.values()) {
            if (role.wire().equals(text)) {
                return role;
            }
        }
        throw invalid("role must be one of admin, member, viewer");
    }

    static CrateException invalid(String detail) {
        return new CrateException(ErrorCode.INVALID_WORKLOAD_IDENTITY, detail);
    }

    // ---- matching a verified token ----

    /** True when {@code aud} (a string or a list of strings) names {@code audience}. */
    static boolean audienceMatches(Object aud, String audience) {
        return scalars(aud).contains(audience);
    }

    /** Which rule of the binding the claims miss, or null when they meet every rule. */
    static String firstMiss(WorkloadIdentityRecord binding, Map<String, Object> claims, Map<String, String> rules) {
        if (!audienceMatches(claims.get("aud"), binding.audience)) {
            return "aud";
        }
        Object sub = claims.get("sub");
        if (!(sub instanceof String s) || !glob(binding.subject, s)) {
            return "sub";
        }
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            if (scalars(claim(claims, rule.getKey())).stream().noneMatch(v -> glob(rule.getValue(), v))) {
                return rule.getKey();
            }
        }
        return null;
    }

    /**
     * A claim by name: a top-level claim of exactly that name first; otherwise the name is a path of
     * {@code /}-separated keys through nested objects, so {@code kubernetes.io/serviceaccount/name} reads
     * {@code {"kubernetes.io":{"serviceaccount":{"name":..}}}}. Null when absent.
     */
    static Object claim(Map<String, Object> claims, String name) {
        if (claims.containsKey(name)) {
            return claims.get(name);
        }
        Object node = claims;
        for (String key : name.split("/", -1)) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    /** A string, number or boolean as its text; a list as its scalar elements; anything else as nothing. */
    private static List<String> scalars(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            out.add(value.toString());
        } else if (value instanceof Collection<?> list) {
            for (Object element : list) {
                if (element instanceof String || element instanceof Number || element instanceof Boolean) {
                    out.add(element.toString());
                }
            }
        }
        return out;
    }

    /** {@code *} stands for any run of characters (also none, also {@code /} and {@code :}); all else is literal. */
    static boolean glob(String pattern, String value) {
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(value);
        }
        StringBuilder regex = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
