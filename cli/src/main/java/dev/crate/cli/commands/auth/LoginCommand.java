package dev.crate.cli.commands.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.cli.client.ApiException;
import dev.crate.protocol.wire.AuthConfig;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.CrateClient;
import dev.crate.cli.client.DeviceFlow;
import dev.crate.cli.client.Json;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.session.StoredToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(name = "login", description = "log in with your browser (device flow), or store an API key with --token")
public class LoginCommand extends CrateCommand {
    @Option(name = "token", hasValue = false, description = "store an API key, read from CRATE_TOKEN, a prompt or stdin (never argv)")
    boolean token;

    @Option(name = "no-browser", hasValue = false, description = "do not try to open a browser")
    boolean noBrowser;

    @Override
    protected int run(Context context) {
        String server = context.server();
        StoredToken credential = token ? new StoredToken(StoredToken.API_KEY, readKey(context), null, null, null, null)
                : deviceLogin(context, server);
        CrateClient probe = new CrateClient(server, credential::accessToken);
        JsonNode orgs = probe.get("/organizations").path("organizations");
        context.tokens().put(server, credential);
        context.session().setServer(server);
        if (orgs.size() == 1 && context.session().org().isEmpty()) {
            context.session().setOrg(orgs.get(0).path("id").asText(), orgs.get(0).path("name").asText());
        }
        context.err().println("logged in to " + server + (orgs.size() == 1 ? " (organization " + orgs.get(0).path("name").asText() + ")"
                : "; " + orgs.size() + " organizations: pick one with 'crate session org set <id|name>'"));
        return 0;
    }

    private static String readKey(Context context) {
        String fromEnv = context.host().env("CRATE_TOKEN");
        if (fromEnv != null) {
            return fromEnv.trim();
        }
        String key;
        if (System.console() != null && context.host().in() == System.in) {
            char[] typed = System.console().readPassword("API key: ");
            key = typed == null ? "" : new String(typed);
        } else {
            try {
                key = new String(context.host().in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read the API key from stdin");
            }
        }
        key = key.trim();
        if (key.isEmpty()) {
            throw CliException.usage("no API key given: type it at the prompt, pipe it on stdin, or set CRATE_TOKEN");
        }
        return key;
    }

    private StoredToken deviceLogin(Context context, String server) {
        AuthConfig config = authConfig(context, server);
        DeviceFlow flow = new DeviceFlow(config);
        DeviceFlow.Authorization authorization = flow.start();
        String url = authorization.verificationUriComplete() != null ? authorization.verificationUriComplete()
                : authorization.verificationUri();
        context.err().println("Open " + authorization.verificationUri() + " and enter the code " + authorization.userCode());
        if (!noBrowser) {
            Browser.open(url);
        }
        return flow.await(authorization, progress -> { });
    }

    private static AuthConfig authConfig(Context context, String server) {
        JsonNode answer;
        try {
            answer = new CrateClient(server, () -> "").getAnonymous("/auth/config");
        } catch (ApiException.NotFound e) {
            throw new CliException("this server offers no browser login (no /auth/config); use 'crate login --token' with an API key");
        }
        AuthConfig config;
        try {
            config = Json.MAPPER.treeToValue(answer, AuthConfig.class);
        } catch (IOException e) {
            throw new CliException("the server's /auth/config answer is not understood");
        }
        if (!config.oidcEnabled() || config.deviceAuthorizationEndpoint() == null || config.tokenEndpoint() == null) {
            throw new CliException("this server has no identity provider configured; use 'crate login --token' with an API key");
        }
        return config;
    }
}
