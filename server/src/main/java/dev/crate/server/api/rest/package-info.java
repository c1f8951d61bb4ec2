/**
 * The REST adapter: one resource per area, each method parses, calls one service method and maps
 * the result. It may use the feature packages, {@code api.http}, {@code api.error} and {@code
 * domain}.
 */
package dev.crate.server.api.rest;
