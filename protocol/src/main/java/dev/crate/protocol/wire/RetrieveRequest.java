package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /organization/{id}/secrets/retrieve}: which secrets, and exactly one temporary client
 * key ({@code client_public_key_pem}: RSA SPKI PEM, or {@code client_public_jwk}: RSA or EC P-256).
 * {@code enc} picks the JWE content encryption: {@code A256GCM} (default) or {@code A256CBC-HS512}
 * for tools without AES-GCM (the {@code openssl} command line). {@code versions} asks for specific
 * versions by name ({@code {"DATABASE_URL": 3}}); without {@code names}, its keys are the names.
 * Without {@code names} (or {@code versions}) the answer is one page: at most {@code limit} secrets
 * (default and most: the server's page bound), those named after {@code after} in byte order; the
 * answer's {@code next} is the {@code after} of the next page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrieveRequest(
        String environment,
        List<String> names,
        List<String> tags,
        @JsonProperty("client_public_key_pem") String clientPublicKeyPem,
        @JsonProperty("client_public_jwk") Map<String, Object> clientPublicJwk,
        String enc,
        Map<String, Integer> versions,
        Integer limit,
        String after) {

    public RetrieveRequest(
            String environment,
            List<String> names,
            List<String> tags,
            String clientPublicKeyPem,
            Map<String, Object> clientPublicJwk) {
        this(environment, names, tags, clientPublicKeyPem, clientPublicJwk, null, null, null, null);
    }

    public RetrieveRequest(
            String environment,
            List<String> names,
            List<String> tags,
            String clientPublicKeyPem,
            Map<String, Object> clientPublicJwk,
            String enc) {
        this(environment, names, tags, clientPublicKeyPem, clientPublicJwk, enc, null, null, null);
    }

    public RetrieveRequest(
            String environment,
            List<String> names,
            List<String> tags,
            String clientPublicKeyPem,
            Map<String, Object> clientPublicJwk,
            String enc,
            Map<String, Integer> versions) {
        this(environment, names, tags, clientPublicKeyPem, clientPublicJwk, enc, versions, null, null);
    }
}
