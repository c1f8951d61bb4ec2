package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.commands.SecretNameCompleter;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.SecretVersionList;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Argument;

@CommandDefinition(
        name = "history",
        description = "versions of a secret, newest first: who stored each, when, with which tags; never values")
public class HistoryCommand extends CrateCommand {
    @Argument(description = "secret name", required = true, completer = SecretNameCompleter.class)
    String name;

    @Override
    protected int run(Context context) {
        SecretValues.checkName(name);
        SecretVersionList history = context.secrets().history(name, context.env());
        Table table = new Table("VERSION", "CREATED", "CREATED BY", "TAGS", "STATE");
        history.versions()
                .forEach(v -> table.row(
                        v.version(),
                        v.createdAt(),
                        v.createdBy(),
                        String.join(",", v.tags()),
                        v.destroyed()
                                ? "destroyed"
                                : v.version() == history.currentVersion()
                                        ? (history.deleted() ? "current (deleted)" : "current")
                                        : ""));
        context.printer().print(history, table);
        return 0;
    }
}
