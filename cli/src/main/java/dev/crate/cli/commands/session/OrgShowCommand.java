package dev.crate.cli.commands.session;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.aesh.command.CommandDefinition;

@CommandDefinition(
        name = "show",
        description = "show the organization, environment and server in effect, and where they come from")
public class OrgShowCommand extends CrateCommand {
    @Override
    protected int run(Context context) {
        Context.Setting server = context.serverSetting();
        Optional<Context.Setting> org = context.orgSettingWithSource();
        Context.Setting environment = context.envSetting();
        Context.Setting tags = context.tagsSetting();
        String orgName = org.flatMap(o -> nameOf(context, o.value())).orElse(null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("server", server.value());
        data.put("organization", org.map(Context.Setting::value).orElse(null));
        data.put("organization_name", orgName);
        data.put("environment", context.env());
        data.put("project_tags", context.projectTags());
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("server", server.source());
        sources.put("organization", org.map(Context.Setting::source).orElse("none"));
        sources.put("environment", environment.source());
        sources.put("project_tags", tags.source());
        data.put("sources", sources);
        Table table = new Table("SETTING", "VALUE", "SOURCE");
        table.row("server", server.value(), server.source());
        table.row(
                "organization",
                org.map(o -> o.value() + (orgName == null || orgName.equals(o.value()) ? "" : " (" + orgName + ")"))
                        .orElse("(none: the credential's only organization, if it has one)"),
                org.map(Context.Setting::source).orElse(""));
        table.row("environment", environment.value(), environment.source());
        table.row("tags", tags.value(), tags.value().isEmpty() ? "" : tags.source());
        context.printer().print(data, table);
        return 0;
    }

    /** The name of the org in effect, as far as known without asking the server: the session's name applies only to the session's org. */
    private static Optional<String> nameOf(Context context, String org) {
        Optional<String> sessionOrg = context.session().org();
        if (sessionOrg.isPresent() && sessionOrg.get().equalsIgnoreCase(org)) {
            return context.session().orgName();
        }
        return org.matches("^[0-9a-fA-F-]{36}$") ? Optional.empty() : Optional.of(org);
    }
}
