package dev.crate.cli.commands;

import java.util.ArrayList;
import java.util.List;

/** Completes environment names of the current organization. */
public final class EnvironmentCompleter extends RemoteCompleter {
    @Override
    protected List<String> names(Context context) {
        List<String> names = new ArrayList<>();
        context.client().get(context.orgPath() + "/environments").path("environments").forEach(e -> names.add(e.path("name").asText()));
        return names;
    }
}
