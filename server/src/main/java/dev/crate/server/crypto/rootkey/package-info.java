/**
 * Tier 1 of the key hierarchy: root key providers (a static key from env, file or dev file; a
 * PKCS#11 token) and the keyring of active and previous root keys. Uses {@code crypto.aead} and
 * {@code crypto.envelope}.
 */
package dev.crate.server.crypto.rootkey;
