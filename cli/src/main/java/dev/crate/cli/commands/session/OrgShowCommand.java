package dev.crate.cli.commands.session;

import dev.crate.cli.commands.Context;
import dev.crate.cli.output.Table;
import dev.crate.cli.commands.CrateCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aesh.command.CommandDefinition;

@CommandDefinition(name = "show", description = "show the organization, environment and server in effect, and where they come from")
public class OrgShowCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("server", context.server());
        data.put("organization", context.orgSetting().orElse(null));
        data.put("organization_name", context.session().orgName().orElse(null));
        data.put("environment", context.env());
        data.put("project_tags", context.projectTags());
        Table table = new Table("SERVER", "ORGANIZATION", "NAME", "ENVIRONMENT");
        table.row(data.get("server"), data.get("organization") == null ? "(none)" : data.get("organization"),
                data.get("organization_name"), data.get("environment"));
        context.printer().print(data, table);
        return 0;
    }
}
