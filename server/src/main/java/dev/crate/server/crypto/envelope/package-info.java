/**
 * The byte layout of every stored blob (format, key id, nonce, ciphertext, tag) and the AAD
 * context of each kind of blob (ARCHITECTURE.md, sections 3.1 and 3.2). Only {@code crypto} may
 * use it.
 */
package dev.crate.server.crypto.envelope;
