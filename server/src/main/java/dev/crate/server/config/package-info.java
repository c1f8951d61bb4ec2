/**
 * The {@code crate.*} configuration and the producer of the root key provider (env, file, dev key
 * or PKCS#11 token). It may use {@code crypto}.
 */
package dev.crate.server.config;
