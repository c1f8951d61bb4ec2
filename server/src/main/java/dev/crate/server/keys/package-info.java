/**
 * The org keys and transport keys at run time: provisioning a new org's keys, claiming the active
 * org key for a write, unwrapped keys cached by version or kid, opening sealed values, the key
 * states as enums, the root-key check at start and for readiness; the tables {@code org_keys} and
 * {@code transport_keys}. All wrapping goes through {@code crypto.KeyHierarchy}. It may use {@code
 * crypto}, {@code domain}, {@code support}, {@code config} and {@code metrics}.
 */
package dev.crate.server.keys;
