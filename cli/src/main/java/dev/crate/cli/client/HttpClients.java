package dev.crate.cli.client;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client a one-shot CLI call wants: HTTP/1.1 (over plain HTTP the JDK's default, HTTP/2,
 * costs an h2c upgrade and the whole HTTP/2 and HPACK machinery for one request), and, for a plain
 * {@code http://} server, a TLS context that is never used, so the JDK neither loads and parses its
 * trust store ({@code SSLContext.getDefault()}) nor builds an SSL engine for a connection without TLS.
 */
public final class HttpClients {
    private HttpClients() {}

    public static HttpClient.Builder forServer(String server) {
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        if (server.toLowerCase(Locale.ROOT).startsWith("http://")) {
            // explicit parameters, or the client asks the context for its defaults by building an SSLEngine
            builder.sslContext(unusedTls()).sslParameters(new SSLParameters());
        }
        return builder;
    }

    /** No trust anchors at all: were it ever used, every TLS handshake would fail, never pass. */
    private static SSLContext unusedTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
