package dev.crate.cli.commands.members;

import dev.crate.cli.client.ApiException;
import dev.crate.cli.client.CliException;
import dev.crate.cli.commands.Context;
import java.util.function.Supplier;

/** Member endpoints come with the identity work; an older server answers 404 for the path itself. */
final class MembersApi {
    private MembersApi() {
    }

    static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ApiException.NotFound e) {
            if (e.code().orElse("").equals("not_found")) {
                throw new CliException("this server does not manage members yet (no /members endpoint); upgrade the server");
            }
            throw e;
        }
    }

    static String path(Context context) {
        return context.orgPath() + "/members";
    }
}
