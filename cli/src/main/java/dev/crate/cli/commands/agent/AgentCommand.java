package dev.crate.cli.commands.agent;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "agent",
        description = "keep a file of secrets current from the server's event stream (e.g. as a sidecar)")
public class AgentCommand extends CrateCommand {
    @Option(name = "out", description = "the file to write (mode 0600, replaced atomically)")
    String out;

    @Option(
            name = "format",
            description = "dotenv (default), json or yaml",
            allowedValues = {"dotenv", "json", "yaml"})
    String format;

    @Option(
            name = "tags",
            description = "only secrets carrying all these comma-separated tags (default: .crate.yaml tags)")
    String tags;

    @Option(name = "names", description = "only these comma-separated names")
    String names;

    @Option(
            name = "exec-on-change",
            description = "a shell command run with /bin/sh -c after each rewrite (gets CRATE_AGENT_FILE, no values)")
    String execOnChange;

    @Override
    protected int run(Context context) {
        return new AgentAction(out, format, tags, names, execOnChange).run(context);
    }
}
