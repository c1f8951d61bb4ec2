package dev.crate.cli.commands;

import dev.crate.cli.client.ApiKeysClient;
import dev.crate.cli.client.AuditClient;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.CrateClient;
import dev.crate.cli.client.DeviceFlow;
import dev.crate.cli.client.EnvironmentsClient;
import dev.crate.cli.client.EventsClient;
import dev.crate.cli.client.IdentityClient;
import dev.crate.cli.client.KeysClient;
import dev.crate.cli.client.MembersClient;
import dev.crate.cli.client.OrganizationsClient;
import dev.crate.cli.client.SecretsClient;
import dev.crate.cli.client.TagsClient;
import dev.crate.cli.client.WorkloadCredential;
import dev.crate.cli.client.WorkloadExchange;
import dev.crate.cli.client.WorkloadIdentitiesClient;
import dev.crate.cli.output.Format;
import dev.crate.cli.output.Printer;
import dev.crate.cli.session.ConfigDir;
import dev.crate.cli.session.Host;
import dev.crate.cli.session.ProjectFile;
import dev.crate.cli.session.ServerUrl;
import dev.crate.cli.session.SessionConfig;
import dev.crate.cli.session.StoredToken;
import dev.crate.cli.session.TokenStore;
import dev.crate.cli.session.WorkloadSource;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.Membership;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a command needs, resolved in one order: command-line flag, then environment variable
 * ({@code CRATE_SERVER}, {@code CRATE_ORG}, {@code CRATE_ENV}, {@code CRATE_TOKEN}, {@code CRATE_WORKLOAD_TOKEN_FILE}), then the
 * project file {@code .crate.yaml}, then the session ({@code crate login}, {@code crate session org set}),
 * then the default. The server is the exception: a project file comes from whoever wrote the repository, so its
 * {@code server:} is only taken when it is the server the credential belongs to ({@link #serverSetting()}).
 */
public final class Context {
    public static final String DEFAULT_SERVER = "http://localhost:8080";
    private static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final Host host;
    private final ConfigDir dir;
    private final Optional<ProjectFile> project;
    private final GlobalOptions flags;
    private CrateClient client;
    private String orgId;
    private Setting server;

    public Context(Host host, GlobalOptions flags) {
        this.host = host;
        this.flags = flags;
        this.dir = ConfigDir.fromEnvironment(host.env());
        this.project = ProjectFile.find(host.cwd());
    }

    public Host host() {
        return host;
    }

    public PrintStream out() {
        return host.out();
    }

    public PrintStream err() {
        return host.err();
    }

    public ConfigDir configDir() {
        return dir;
    }

    public SessionConfig session() {
        return new SessionConfig(dir);
    }

    public TokenStore tokens() {
        return new TokenStore(dir);
    }

    public Printer printer() {
        return new Printer(Format.parse(flags.output()), host.out());
    }

    public Format format() {
        return Format.parse(flags.output());
    }

    /** A setting's value and where it came from ({@code --env}, {@code CRATE_ENV}, the project file, the session, the default). */
    public record Setting(String value, String source) {}

    public String server() {
        return serverSetting().value();
    }

    /**
     * The server, and where it came from. {@code --server} and {@code CRATE_SERVER} are the user's own choice and
     * win. Otherwise the credential decides where it may go: a stored login belongs to the session's server (or to
     * the server it was stored for), and {@code CRATE_TOKEN} or a workload token, given without {@code --server} or
     * {@code CRATE_SERVER}, to the session's server or the default. A {@code server:} in {@code .crate.yaml} (found in
     * whatever repository the user stands in) is taken only when it names that same server; any other is refused
     * before anything is sent, so a cloned repository cannot have a credential sent, or values sealed, to its server.
     */
    public Setting serverSetting() {
        if (server == null) {
            server = resolveServer();
        }
        return server;
    }

    private Setting resolveServer() {
        Optional<Setting> explicit =
                first(new Setting(flags.server(), "--server"), new Setting(host.env("CRATE_SERVER"), "CRATE_SERVER"));
        if (explicit.isPresent()) {
            return explicit.get();
        }
        Setting base = first(
                        new Setting(session().server().orElse(null), "session (" + dir.file("config.json") + ")"),
                        new Setting(DEFAULT_SERVER, "default"))
                .orElseThrow();
        Optional<String> named = project.flatMap(ProjectFile::server);
        if (named.isEmpty()) {
            return base;
        }
        String file = projectSource();
        if (ServerUrl.same(named.get(), base.value())) {
            return new Setting(base.value(), file);
        }
        Optional<String> variable =
                host.env("CRATE_TOKEN") != null ? Optional.of("CRATE_TOKEN") : WorkloadSource.variableSet(host);
        if (variable.isEmpty()) {
            Optional<String> stored = tokens().serverMatching(named.get());
            if (stored.isPresent()) {
                return new Setting(stored.get(), file + " (a server you logged in to)");
            }
        }
        String origin = base.source().equals("default")
                ? "the default server"
                : "your session's server, " + dir.file("config.json");
        String prefix = ProjectFile.NAME + " at " + file + " names server " + named.get();
        String escape = "a project file cannot choose where your credentials go: pass --server " + named.get()
                + " (or set CRATE_SERVER) if you trust that server, or --server " + base.value()
                + " to ignore the file's server";
        if (variable.isPresent()) {
            throw CliException.conflict(prefix + ", but your credential (" + variable.get() + ") is for " + base.value()
                    + " (" + origin + "); " + escape);
        }
        if (tokens().get(base.value()).isPresent()) {
            throw CliException.conflict(
                    prefix + ", but your credential is for " + base.value() + " (" + origin + "); " + escape);
        }
        throw CliException.conflict(prefix + ", and you are not logged in to it; a project file cannot choose where"
                + " your credentials go: run 'crate login --server " + named.get()
                + "' if you trust that server, or pass --server to choose another");
    }

    public Setting envSetting() {
        return first(
                        new Setting(flags.env(), "--env"),
                        new Setting(host.env("CRATE_ENV"), "CRATE_ENV"),
                        new Setting(project.flatMap(ProjectFile::env).orElse(null), projectSource()),
                        new Setting(Limits.DEFAULT_ENVIRONMENT, "default"))
                .orElseThrow();
    }

    public Optional<Setting> orgSettingWithSource() {
        return first(
                        new Setting(flags.org(), "--org"),
                        new Setting(host.env("CRATE_ORG"), "CRATE_ORG"),
                        new Setting(project.flatMap(ProjectFile::org).orElse(null), projectSource()))
                .or(() ->
                        first(new Setting(session().org().orElse(null), "session (" + dir.file("config.json") + ")")));
    }

    /** Tags from the project file, with where they come from. */
    public Setting tagsSetting() {
        return new Setting(String.join(",", projectTags()), projectTags().isEmpty() ? "none" : projectSource());
    }

    private String projectSource() {
        return project.map(p -> p.path().toString()).orElse(ProjectFile.NAME);
    }

    /** Warns once per command about keys of {@code .crate.yaml} that mean nothing (a typo such as {@code envv}). */
    public void warnAboutProjectFile() {
        project.ifPresent(p -> p.warnings().forEach(w -> host.err().println("crate: warning: " + w)));
    }

    public String env() {
        String env = envSetting().value();
        if (!Limits.ENVIRONMENT.matcher(env).matches()) {
            throw CliException.usage(
                    "invalid environment '" + env + "': lower-case letters, digits and '-', at most 32");
        }
        return env;
    }

    /** Tags from {@code .crate.yaml}, used when a command is given none. */
    public List<String> projectTags() {
        return project.map(ProjectFile::tags).orElse(List.of());
    }

    public Optional<String> orgSetting() {
        return orgSettingWithSource().map(Setting::value);
    }

    /**
     * The organization's id; a name is looked up among the caller's organizations. With none chosen, the
     * credential's only organization (an API key belongs to exactly one), as {@code GET /me} tells.
     */
    public String orgId() {
        if (orgId == null) {
            Optional<String> org = orgSetting();
            orgId = org.isEmpty()
                    ? inferredOrgId()
                    : UUID.matcher(org.get()).matches() ? org.get().toLowerCase() : idOfName(org.get());
        }
        return orgId;
    }

    private String inferredOrgId() {
        List<Membership> orgs;
        try {
            orgs = identity().me().organizations();
        } catch (CliException e) {
            orgs = List.of();
        }
        if (orgs != null && orgs.size() == 1) {
            return orgs.get(0).id().toString();
        }
        throw new CliException("no organization selected"
                + (orgs != null && orgs.size() > 1 ? " (you belong to " + orgs.size() + ")" : "")
                + ": use --org, CRATE_ORG, .crate.yaml or 'crate session org set <id|name>'");
    }

    private String idOfName(String name) {
        return organizations().list().stream()
                .filter(o -> o.name().equals(name))
                .findFirst()
                .map(o -> o.id().toString())
                .orElseThrow(() ->
                        new CliException("no organization named '" + name + "' among yours: see 'crate orgs list'"));
    }

    public OrganizationsClient organizations() {
        return new OrganizationsClient(client());
    }

    public IdentityClient identity() {
        return new IdentityClient(client());
    }

    public SecretsClient secrets() {
        return new SecretsClient(client(), orgId());
    }

    /** The change stream of this organization's secrets, filtered as given. */
    public EventsClient events(String environment, List<String> tags, List<String> names) {
        return new EventsClient(server(), this::token, orgId(), environment, tags, names);
    }

    public EnvironmentsClient environments() {
        return new EnvironmentsClient(client(), orgId());
    }

    public TagsClient tags() {
        return new TagsClient(client(), orgId());
    }

    public MembersClient members() {
        return new MembersClient(client(), orgId());
    }

    public ApiKeysClient apiKeys() {
        return new ApiKeysClient(client(), orgId());
    }

    public KeysClient keys() {
        return new KeysClient(client(), orgId());
    }

    public WorkloadIdentitiesClient workloadIdentities() {
        return new WorkloadIdentitiesClient(client(), orgId());
    }

    public AuditClient audit() {
        return new AuditClient(client(), orgId());
    }

    public CrateClient client() {
        if (client == null) {
            client = new CrateClient(server(), this::token, this::renewAfterRefusal);
        }
        return client;
    }

    /**
     * The bearer token, in this order (docs/CLI.md, "Workload identity"): {@code CRATE_TOKEN}; else a Crate token
     * exchanged from {@code CRATE_WORKLOAD_TOKEN_FILE} or {@code CRATE_WORKLOAD_TOKEN}, kept in memory only;
     * else the stored one for this server, refreshed (OIDC) or exchanged anew from its token file (workload)
     * when it is about to expire.
     */
    public String token() {
        String fromEnv = host.env("CRATE_TOKEN");
        if (fromEnv != null) {
            WorkloadSource.variableSet(host).ifPresent(this::warnTokenWins);
            return fromEnv.trim();
        }
        Optional<WorkloadSource> workload = WorkloadSource.fromEnvironment(host);
        if (workload.isPresent()) {
            return WorkloadCredential.of(server(), workloadOrgId(workload.get().label()), workload.get())
                    .token();
        }
        String server = server();
        StoredToken stored = tokens().get(server)
                .orElseThrow(() -> new CliException("not logged in to " + server
                        + ": run 'crate login' (or 'crate login --token'), or set CRATE_TOKEN"));
        if (StoredToken.OIDC.equals(stored.kind()) && stored.expiresSoon(Instant.now())) {
            if (stored.refreshToken() == null || stored.tokenEndpoint() == null) {
                throw new CliException("your login session expired; run 'crate login' again");
            }
            stored = DeviceFlow.refresh(stored);
            tokens().put(server, stored);
        }
        if (StoredToken.WORKLOAD.equals(stored.kind()) && stored.expiresSoon(Instant.now())) {
            stored = renewWorkload(server, stored);
        }
        return stored.accessToken();
    }

    /**
     * After a 401: a Crate token obtained with a workload token is exchanged again (an admin who changes a
     * binding's rules ends its tokens, docs/WORKLOAD-IDENTITY.md), once per refusal; true when the credential
     * changed. API keys and OIDC logins are not renewed here.
     */
    boolean renewAfterRefusal() {
        if (host.env("CRATE_TOKEN") != null) {
            return false;
        }
        Optional<WorkloadSource> workload = WorkloadSource.fromEnvironment(host);
        if (workload.isPresent()) {
            WorkloadCredential.of(server(), workloadOrgId(workload.get().label()), workload.get())
                    .forget();
            return true;
        }
        String server = server();
        Optional<StoredToken> stored = tokens().get(server);
        if (stored.isPresent() && StoredToken.WORKLOAD.equals(stored.get().kind())) {
            renewWorkload(server, stored.get());
            return true;
        }
        return false;
    }

    /** A stored workload login whose Crate token expires: the token file is read again and exchanged. */
    private StoredToken renewWorkload(String server, StoredToken stored) {
        if (stored.tokenFile() == null || stored.organization() == null) {
            throw new CliException("your workload login expired; run 'crate login --workload-token-file FILE' again");
        }
        WorkloadSource source = WorkloadSource.ofFile(
                java.nio.file.Path.of(stored.tokenFile()), "the token file of 'crate login --workload-token-file'");
        WorkloadExchange.Issued issued =
                WorkloadExchange.exchange(server, stored.organization(), source.read(), source.label());
        StoredToken renewed = StoredToken.workload(
                issued.accessToken(), issued.expiresAt(), stored.tokenFile(), stored.organization());
        tokens().put(server, renewed);
        return renewed;
    }

    /**
     * The organization a workload token is exchanged for: its id, from {@code --org}, {@code CRATE_ORG}, the project
     * file or the session. Without a credential yet, a name cannot be looked up.
     */
    public String workloadOrgId(String source) {
        Optional<Setting> org = orgSettingWithSource();
        if (org.isEmpty()) {
            throw new CliException(source + " needs the organization's id: set CRATE_ORG or pass --org");
        }
        if (!UUID.matcher(org.get().value()).matches()) {
            throw new CliException(source + " needs the organization's id, not a name ('"
                    + org.get().value() + "' from " + org.get().source()
                    + "): see 'crate orgs list' or the organization's settings");
        }
        return org.get().value().toLowerCase(java.util.Locale.ROOT);
    }

    private static volatile boolean warnedTokenWins;

    private void warnTokenWins(String variable) {
        if (!warnedTokenWins) {
            warnedTokenWins = true;
            host.err().println("crate: warning: CRATE_TOKEN is set and wins; " + variable + " is not used");
        }
    }

    private static Optional<Setting> first(Setting... settings) {
        for (Setting setting : settings) {
            if (setting.value() != null && !setting.value().isBlank()) {
                return Optional.of(new Setting(setting.value().trim(), setting.source()));
            }
        }
        return Optional.empty();
    }
}
