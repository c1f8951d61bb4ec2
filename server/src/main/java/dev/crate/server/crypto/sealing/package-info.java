/**
 * The transport tier: org transport key pairs (RSA-3072), opening values sealed to them (RSA-
 * OAEP-256 or JWE), and sealing retrieve answers to a client's temporary key. Uses nothing else of
 * the server.
 */
package dev.crate.server.crypto.sealing;
