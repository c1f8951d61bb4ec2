package dev.crate.cli.session;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Server URLs compared as the same server: scheme and host case-insensitively, the default port ({@code 80}
 * for http, {@code 443} for https) the same as none, trailing slashes dropped. A query, fragment or user
 * part makes no URL the CLI would call, so such a URL matches nothing.
 */
public final class ServerUrl {
    private ServerUrl() {}

    /** The normalised form, or empty when {@code url} is no http(s) URL. */
    public static Optional<String> normalise(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                return Optional.empty();
            }
            if (uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            if (port == -1) {
                port = scheme.equals("http") ? 80 : 443;
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** True when both name the same server; a URL that is not one matches nothing, not even itself. */
    public static boolean same(String a, String b) {
        Optional<String> left = normalise(a);
        return left.isPresent() && left.equals(normalise(b));
    }
}
