package dev.crate.cli.commands;

import dev.crate.protocol.wire.Environment;
import java.util.List;

/** Completes environment names of the current organization. */
public final class EnvironmentCompleter extends RemoteCompleter {
    @Override
    protected List<String> names(Context context) {
        return context.environments().list().stream().map(Environment::name).toList();
    }
}
