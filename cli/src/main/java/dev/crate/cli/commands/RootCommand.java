package dev.crate.cli.commands;

import dev.crate.cli.commands.apikeys.ApiKeysCommand;
import dev.crate.cli.commands.auth.LoginCommand;
import dev.crate.cli.commands.auth.LogoutCommand;
import dev.crate.cli.commands.auth.WhoamiCommand;
import dev.crate.cli.commands.completion.CompletionCommand;
import dev.crate.cli.commands.envs.EnvsCommand;
import dev.crate.cli.commands.members.MembersCommand;
import dev.crate.cli.commands.orgs.OrgsCommand;
import dev.crate.cli.commands.run.RunCommand;
import dev.crate.cli.commands.secrets.SecretsCommand;
import dev.crate.cli.commands.session.SessionCommand;
import dev.crate.cli.commands.shell.ShellCommand;
import dev.crate.cli.commands.tags.TagsCommand;
import dev.crate.cli.commands.workload.WorkloadIdentitiesCommand;
import org.aesh.command.Command;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "crate",
        description = "Crate secrets vault command line",
        groupCommands = {
            LoginCommand.class,
            LogoutCommand.class,
            WhoamiCommand.class,
            SessionCommand.class,
            OrgsCommand.class,
            SecretsCommand.class,
            TagsCommand.class,
            EnvsCommand.class,
            ApiKeysCommand.class,
            WorkloadIdentitiesCommand.class,
            MembersCommand.class,
            dev.crate.cli.commands.keys.KeysCommand.class,
            dev.crate.cli.commands.audit.AuditCommand.class,
            RunCommand.class,
            dev.crate.cli.commands.agent.AgentCommand.class,
            ShellCommand.class,
            HelpCommand.class,
            CompletionCommand.class
        })
public class RootCommand extends GroupCommand {
    /** What the interactive shell offers: everything but the shell itself. */
    @SuppressWarnings("unchecked")
    public static final Class<? extends Command>[] SHELL_COMMANDS = new Class[] {
        LoginCommand.class,
        LogoutCommand.class,
        WhoamiCommand.class,
        SessionCommand.class,
        OrgsCommand.class,
        SecretsCommand.class,
        TagsCommand.class,
        EnvsCommand.class,
        ApiKeysCommand.class,
        WorkloadIdentitiesCommand.class,
        MembersCommand.class,
        dev.crate.cli.commands.keys.KeysCommand.class,
        dev.crate.cli.commands.audit.AuditCommand.class,
        RunCommand.class,
        HelpCommand.class
    };
}
