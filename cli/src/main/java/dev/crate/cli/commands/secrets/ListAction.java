package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.SecretMetadata;
import java.util.List;
import java.util.Map;

/** What {@code crate secrets list} does once its options are known, without Aesh (its command and the lean path). */
public record ListAction(String tags) {
    public int run(Context context) {
        List<SecretMetadata> secrets = context.secrets().list(context.env(), Lists.split(tags));
        Table table = new Table("NAME", "VERSION", "TAGS", "UPDATED");
        secrets.forEach(s -> table.row(s.name(), s.version(), String.join(",", s.tags()), s.updatedAt()));
        context.printer().print(Map.of("secrets", secrets), table);
        return 0;
    }
}
