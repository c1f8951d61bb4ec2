package dev.crate.cli.commands;

import dev.crate.cli.session.Host;
import java.util.List;
import org.aesh.command.completer.CompleterInvocation;
import org.aesh.command.completer.OptionCompleter;

/** Completes from names the server knows; a failure (offline, not logged in) completes nothing. */
abstract class RemoteCompleter implements OptionCompleter<CompleterInvocation> {
    @Override
    public void complete(CompleterInvocation invocation) {
        GlobalOptions flags = invocation.getCommand() instanceof CrateCommand c
                ? new GlobalOptions(c.server, c.org, c.env, null)
                : new GlobalOptions(null, null, null, null);
        String given = invocation.getGivenCompleteValue() == null ? "" : invocation.getGivenCompleteValue();
        try {
            for (String name : names(new Context(Host.current(), flags))) {
                if (name.startsWith(given)) {
                    invocation.addCompleterValue(name);
                }
            }
        } catch (RuntimeException offline) {
            // completion is best effort
        }
    }

    protected abstract List<String> names(Context context);
}
