package dev.crate.cli.commands.auth;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.CrateClient;
import dev.crate.cli.client.DeviceFlow;
import dev.crate.cli.client.IdentityClient;
import dev.crate.cli.client.OrganizationsClient;
import dev.crate.cli.client.WorkloadExchange;
import dev.crate.cli.commands.Context;
import dev.crate.cli.commands.CrateCommand;
import dev.crate.cli.session.StoredToken;
import dev.crate.cli.session.WorkloadSource;
import dev.crate.protocol.wire.AuthConfig;
import dev.crate.protocol.wire.Me;
import dev.crate.protocol.wire.Organization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aesh.command.CommandDefinition;
import org.aesh.command.option.Option;

@CommandDefinition(
        name = "login",
        description = "log in with your browser (device flow), store an API key with --token, or log a workload in"
                + " with its platform's identity token (--workload-token-file)")
public class LoginCommand extends CrateCommand {
    @Option(
            name = "token",
            hasValue = false,
            description = "store an API key, read from CRATE_TOKEN, a prompt or stdin (never argv)")
    boolean token;

    @Option(name = "no-browser", hasValue = false, description = "do not try to open a browser")
    boolean noBrowser;

    @Option(
            name = "workload-token-file",
            description = "exchange the identity token in this file (GitHub Actions, GitLab CI, Kubernetes) for a"
                    + " short-lived Crate token; the file is read again whenever that token expires (needs --org"
                    + " or CRATE_ORG with the organization's id)")
    String workloadTokenFile;

    @Override
    protected int run(Context context) {
        String server = context.server();
        if (workloadTokenFile != null) {
            if (token) {
                throw CliException.usage("--token and --workload-token-file exclude each other");
            }
            return workloadLogin(context, server);
        }
        StoredToken credential = token ? StoredToken.apiKey(readKey(context)) : deviceLogin(context, server);
        CrateClient probe = new CrateClient(server, credential::accessToken);
        List<Organization> orgs = new OrganizationsClient(probe).list();
        context.tokens().put(server, credential);
        context.session().setServer(server);
        if (orgs.size() == 1 && context.session().org().isEmpty()) {
            context.session().setOrg(orgs.get(0).id().toString(), orgs.get(0).name());
        }
        context.err()
                .println("logged in to " + server + who(probe)
                        + (orgs.size() == 1
                                ? " (organization " + orgs.get(0).name() + ")"
                                : "; " + orgs.size()
                                        + " organizations: pick one with 'crate session org set <id|name>'"));
        return 0;
    }

    /**
     * Exchanges the token file's token now (so a mistake shows at once) and keeps the Crate token with the file's
     * path and the organization, never the platform's token: later commands exchange the file's current token again
     * when the Crate token is about to expire.
     */
    private int workloadLogin(Context context, String server) {
        WorkloadSource source =
                WorkloadSource.ofFile(context.host().cwd().resolve(workloadTokenFile), "--workload-token-file");
        String orgId = context.workloadOrgId(source.label());
        WorkloadExchange.Issued issued = WorkloadExchange.exchange(server, orgId, source.read(), source.label());
        String file = source.file().orElseThrow().toString();
        context.tokens().put(server, StoredToken.workload(issued.accessToken(), issued.expiresAt(), file, orgId));
        context.session().setServer(server);
        if (!context.session().org().map(orgId::equalsIgnoreCase).orElse(false)) {
            context.session().setOrg(orgId, orgName(server, orgId, issued.accessToken()));
        }
        context.err()
                .println("logged in to " + server + " with a workload identity"
                        + (issued.binding() == null ? "" : " (binding " + issued.binding() + ")")
                        + " for organization " + orgId + "; " + file
                        + " is read again whenever the Crate token expires");
        return 0;
    }

    /** The organization's name as the new token may read it; its id when it may not. */
    private static String orgName(String server, String orgId, String accessToken) {
        try {
            return new CrateClient(server, () -> accessToken)
                    .get("/organization/" + orgId, com.fasterxml.jackson.databind.JsonNode.class)
                    .path("name")
                    .asText(orgId);
        } catch (CliException e) {
            return orgId;
        }
    }

    /** {@code as alice@example.com}, {@code as API key 'CI'}; nothing when the server cannot say. */
    private static String who(CrateClient probe) {
        try {
            Me me = new IdentityClient(probe).me();
            if ("api_key".equals(me.kind())) {
                return me.name() == null ? " with an API key" : " as API key '" + me.name() + "'";
            }
            String who = me.email() != null ? me.email() : me.name() != null ? me.name() : me.subject();
            return who == null ? "" : " as " + who;
        } catch (CliException e) {
            return "";
        }
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
        AuthConfig config = authConfig(server);
        DeviceFlow flow = new DeviceFlow(config);
        DeviceFlow.Authorization authorization = flow.start();
        String complete = authorization.verificationUriComplete();
        if (complete != null && !complete.isBlank()) {
            context.err().println("Open this URL to approve the login: " + complete);
            context.err()
                    .println("(or open " + authorization.verificationUri() + " and enter the code "
                            + authorization.userCode() + ")");
        } else {
            context.err()
                    .println("Open " + authorization.verificationUri() + " and enter the code "
                            + authorization.userCode());
        }
        if (!noBrowser) {
            Browser.open(complete != null && !complete.isBlank() ? complete : authorization.verificationUri());
        }
        context.err().println("waiting for approval…");
        return flow.await(authorization, progress -> {});
    }

    private static AuthConfig authConfig(String server) {
        AuthConfig config = new IdentityClient(new CrateClient(server, () -> "")).authConfig();
        if (!config.oidcEnabled() || config.deviceAuthorizationEndpoint() == null || config.tokenEndpoint() == null) {
            throw new CliException(
                    "this server has no identity provider configured; use 'crate login --token' with an API key");
        }
        return config;
    }
}
