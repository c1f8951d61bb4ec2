package dev.crate.cli.commands.workload;

import dev.crate.cli.commands.GroupCommand;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "workload-identities",
        description = "which CI pipelines and Kubernetes workloads may log in with their platform's identity token"
                + " (admin)",
        groupCommands = {
            WorkloadIdentitiesCreateCommand.class,
            WorkloadIdentitiesListCommand.class,
            WorkloadIdentitiesGetCommand.class,
            WorkloadIdentitiesUpdateCommand.class,
            WorkloadIdentitiesDeleteCommand.class
        })
public class WorkloadIdentitiesCommand extends GroupCommand {}
