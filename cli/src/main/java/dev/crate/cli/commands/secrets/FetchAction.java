package dev.crate.cli.commands.secrets;

import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.Lists;
import dev.crate.cli.output.SecretFile;
import dev.crate.protocol.wire.RetrievedPayload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code crate secrets fetch} does once its options are known, without Aesh (its command and the
 * lean path); {@code output} is the global {@code -o}, a synonym of {@code format}.
 */
public record FetchAction(String names, String tags, String format, String output) {
    public int run(Context context) {
        SecretFile.Kind kind = SecretFile.kind(SecretValues.format(format, output));
        List<String> nameList = names == null ? null : Lists.split(names);
        if (nameList != null) {
            nameList.forEach(SecretValues::checkName);
        }
        List<String> tagList = tags == null ? context.projectTags() : Lists.split(tags);
        RetrievedPayload payload = context.secrets().retrieve(context.env(), nameList, tagList);
        Map<String, String> values = new LinkedHashMap<>();
        payload.secrets().forEach(s -> values.put(s.name(), s.value()));
        context.out().print(SecretFile.write(values, kind));
        context.out().flush();
        return reportMissing(context, payload.missing());
    }

    static int reportMissing(Context context, List<String> missing) {
        if (missing == null || missing.isEmpty()) {
            return 0;
        }
        context.err().println("crate: not found in " + context.env() + ": " + String.join(", ", missing));
        return 1;
    }
}
