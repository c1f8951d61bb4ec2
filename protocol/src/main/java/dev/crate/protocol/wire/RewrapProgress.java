package dev.crate.protocol.wire;

/** Re-wrap progress: wrapped keys still under an old key ({@code remaining}) and those moved so far by the running rotation. */
public record RewrapProgress(boolean running, long rewrapped, long remaining) {}
