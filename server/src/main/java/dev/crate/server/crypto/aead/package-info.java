/**
 * AES-256-GCM with a fresh random nonce per call, in memory or with a key held by a security
 * provider: the only users of {@link javax.crypto.Cipher} for symmetric encryption. Uses nothing
 * else of the server.
 */
package dev.crate.server.crypto.aead;
