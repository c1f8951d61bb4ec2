package dev.crate.cli.commands;

import dev.crate.cli.client.CrateClient;
import java.util.ArrayList;
import java.util.List;

/** Completes secret names of the current organization and environment. */
public final class SecretNameCompleter extends RemoteCompleter {
    @Override
    protected List<String> names(Context context) {
        List<String> names = new ArrayList<>();
        context.client().get(context.orgPath() + "/secrets?env=" + CrateClient.query(context.env())).path("secrets")
                .forEach(s -> names.add(s.path("name").asText()));
        return names;
    }
}
