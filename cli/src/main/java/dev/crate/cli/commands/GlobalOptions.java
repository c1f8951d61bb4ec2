package dev.crate.cli.commands;

/** The options every command takes, as given on the command line (null when absent). */
public record GlobalOptions(String server, String org, String env, String output) {}
