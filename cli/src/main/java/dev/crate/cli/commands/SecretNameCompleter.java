package dev.crate.cli.commands;

import dev.crate.protocol.wire.SecretMetadata;
import java.util.List;

/** Completes secret names of the current organization and environment. */
public final class SecretNameCompleter extends RemoteCompleter {
    @Override
    protected List<String> names(Context context) {
        return context.secrets().list(context.env(), List.of()).stream()
                .map(SecretMetadata::name)
                .toList();
    }
}
