package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The org's transport (sealing) public key. */
public record PublicKeyResponse(
        @JsonProperty("public_key_pem") String publicKeyPem, String kid, String algorithm) {}
