/**
 * The cryptography: AES-256-GCM ({@code aead}), the blob layout and AAD contexts ({@code
 * envelope}), root key providers ({@code rootkey}), sealed transport values and client keys
 * ({@code sealing}), and the key-hierarchy choke point {@code KeyHierarchy} with {@code
 * SecretCipher}: the only code that builds an AAD context, wraps or unwraps a key
 * (ARCHITECTURE.md, section 3). It may use {@code domain} only and knows nothing of storage.
 */
package dev.crate.server.crypto;
