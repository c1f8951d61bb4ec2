package dev.crate.server.log;

import org.jboss.logging.Logger;
import org.jboss.logging.Logger.Level;

/**
 * The catalog of every log line that carries an id: one entry per id, {@code CRATE-NNNN}, with its level
 * and message (a {@link String#format} pattern). The line reads {@code CRATE-NNNN <message>}: the id, one
 * space, the message. Operators' alerts, the tests and docs/OPERATIONS.md ("Log ids", one row per entry)
 * match on that text, so keep it stable; a new event gets a new id, never a used one.
 *
 * <p>Each call site logs through its own {@link Logger} (its category stays the class name):
 * {@code LogId.ROOT_KEY_OPENS.log(LOG, kid, source)}. A message that is also an exception's text (start-up
 * refusals) comes from {@link #format}. Not a JBoss Logging {@code @MessageLogger}: its generated
 * loggers write {@code CRATE-0022: ...} (a colon after the id), and the lines must stay as they were.
 *
 * <p>{@code LogIdTest} keeps ids unique, every id in docs/OPERATIONS.md, and {@code CRATE-} literals out of
 * the other main sources.
 */
public enum LogId {
    DEV_ROOT_KEY_GENERATED(
            1,
            Level.WARN,
            "generated a DEV root key in %s. It protects every secret in this data "
                    + "directory: anyone who can read that file and the database can decrypt them. Use CRATE_ROOT_KEY or an HSM "
                    + "for anything but local development."),
    /** Start refused; the text is the {@code StartupRefusedException}'s message, logged by StartupService. */
    ROOT_KEY_NOT_CONFIGURED(
            2,
            Level.ERROR,
            "stored org keys are wrapped by root key '%s', which is not configured "
                    + "(configured: %s from %s). Start with the root key that has kid '%s'. Crate never replaces keys silently."),
    /** Start refused, as {@link #ROOT_KEY_NOT_CONFIGURED}; also readiness' reason. */
    ROOT_KEY_DOES_NOT_OPEN(
            3,
            Level.ERROR,
            "the configured root key '%s' does not open the stored org keys it claims: "
                    + "the key or the database has been altered."),
    /** Start refused, as {@link #ROOT_KEY_NOT_CONFIGURED}. */
    BOOTSTRAP_TOKEN_INVALID(
            4,
            Level.ERROR,
            "CRATE_BOOTSTRAP_TOKEN must be 32 to 256 characters of A-Z a-z 0-9 _ - "
                    + "(a key from 'crate_' + 'openssl rand -hex 24' works); it is not used as given."),
    ROOT_KEY_MISSING(
            5,
            Level.ERROR,
            "request %s needs root key %s, which this replica does not hold: configure it "
                    + "(CRATE_ROOT_KEY_PREVIOUS or the HSM's previous labels) and restart; docs/SECURITY.md 2.3"),

    ROOT_KEY_OPENS(10, Level.INFO, "root key %s (%s) opens the stored org keys"),
    DEFAULT_ORG_CREATED(11, Level.INFO, "created organization 'default' (%s) with a bootstrap admin API key"),
    BOOTSTRAP_KEY_PRESET(12, Level.INFO, "the bootstrap admin API key is the one given in CRATE_BOOTSTRAP_TOKEN"),
    BOOTSTRAP_KEY_FILE_NOT_SAVED(13, Level.WARN, "could not save the bootstrap key file %s: %s"),
    BOOTSTRAP_ADMINS_WITHOUT_DEFAULT_ORG(
            14, Level.WARN, "CRATE_BOOTSTRAP_ADMINS is set but there is no organization 'default'"),
    PREVIOUS_ROOT_KEYS_UNNEEDED(
            15, Level.INFO, "previous root key(s) %s wrap no org key any more: remove them from the configuration"),
    PREVIOUS_ROOT_KEYS_NEEDED(
            16,
            Level.INFO,
            "previous root key(s) %s still wrap org keys: run the root-key rotation "
                    + "(POST /operator/keys/root/rotate) to re-wrap them under %s"),

    NO_IDENTITY_PROVIDER(20, Level.INFO, "no identity provider configured (CRATE_OIDC_ISSUER): API keys only"),
    IDENTITY_PROVIDER(21, Level.INFO, "users log in through %s (audience %s)"),
    /**
     * Logged by REST ({@code "request <id>", ": <exception>"}) and gRPC ({@code "gRPC request <id>", ""}): one
     * event, the same id.
     */
    IDENTITY_PROVIDER_UNAVAILABLE(22, Level.WARN, "the identity provider could not verify a token (%s)%s"),

    ORG_KEY_ROTATED(30, Level.INFO, "org %s: org key v%d is active (was v%d, %s); re-wrapping data keys under it"),
    ORG_KEY_RETIRED(31, Level.INFO, "org %s: org key v%d retired, its wrapped material destroyed"),
    ROOT_KEY_ROTATION_DONE(
            32,
            Level.INFO,
            "root key rotation done: every org key is wrapped by %s; root key(s) %s are "
                    + "no longer needed: remove them from the configuration (CRATE_ROOT_KEY_PREVIOUS) and keep a backup as your "
                    + "policy requires"),
    TRANSPORT_KEY_ROTATED(33, Level.INFO, "org %s: transport key %s is published; %s stays usable until %s"),
    ROOT_KEY_ROTATION_STARTED(34, Level.INFO, "root key rotation to %s started (%d org keys to re-wrap)"),
    TRANSPORT_KEYS_EXPIRED(
            35,
            Level.INFO,
            "%d transport key(s) reached the end of their grace period: disabled, private halves destroyed"),
    /**
     * One rotation step of one org failed: the step ({@code "re-wrapping the data keys"}, {@code "rotating the org
     * key"}, {@code "rotating the transport key"}), the org, the exception's simple name, and a tail
     * ({@code "; the next run resumes"} or {@code ""}). Logged from three places of RewrapJob: one event.
     */
    ORG_ROTATION_FAILED(36, Level.ERROR, "%s of org %s failed (%s)%s"),
    ROOT_KEY_REWRAP_FAILED(37, Level.ERROR, "re-wrapping org keys under root key %s failed (%s); the next run resumes"),
    ROOT_KEY_REWRAP_LEFT_TO_OTHERS(
            38,
            Level.WARN,
            "a root key rotation to %s is running, but this replica's active "
                    + "root key is %s: it leaves the re-wrap to a replica configured with %s (docs/SECURITY.md 2.3)"),
    ROOT_KEY_ROTATION_RETARGETED(39, Level.INFO, "the running root key rotation now goes to %s"),
    ROTATION_JOB_NOT_RUN(40, Level.WARN, "the key rotation job could not run (%s); the next check tries again"),

    CRYPTO_PROVIDERS(50, Level.INFO, "crypto providers: %s"),
    CRYPTO_PROVIDER_SETTING_IGNORED(
            51, Level.WARN, "crate.crypto.provider=%s is read only from -D or CRATE_CRYPTO_PROVIDER; ignored"),

    /**
     * Requests fail because PostgreSQL cannot serve (refused, closed, no pool connection in time, too many
     * connections, shutting down, statement timeout): the reason, the request id, how many such failures went
     * unlogged since the last line (at most one line every 10 s). Logged by api.error.DatabaseDown.
     */
    DATABASE_UNAVAILABLE(
            70,
            Level.WARN,
            "the database cannot serve requests (%s; request %s; %d more since the last line): answering 503 "
                    + "service_unavailable until it does"),

    /** The start failed: its cause (a taken port, an unreachable database, a refused key) and what to do. */
    START_FAILED(73, Level.ERROR, "Crate could not start: %s"),
    /** The embedded PostgreSQL's postmaster died under the running server; a restart follows. */
    EMBEDDED_DATABASE_GONE(
            74, Level.WARN, "the embedded PostgreSQL (pid %d) is gone; restarting it (attempt %d of %d)"),
    EMBEDDED_DATABASE_RESTARTED(75, Level.INFO, "the embedded PostgreSQL serves again on port %d (restarted in %d ms)"),
    EMBEDDED_DATABASE_GAVE_UP(
            76,
            Level.ERROR,
            "the embedded PostgreSQL could not be restarted (%d attempts; last: %s): stopping Crate. See pg.log "
                    + "in the data directory"),
    /** Readiness went DOWN: the check's details (database, root key, storage; key ids and paths only). */
    NOT_READY(71, Level.WARN, "this replica is not ready to serve: %s"),
    READY_AGAIN(72, Level.INFO, "this replica is ready to serve again"),

    UNEXPECTED_REST(500, Level.ERROR, "unexpected %s while handling request %s"),
    UNHANDLED_REQUEST_FAILURE(501, Level.ERROR, "unhandled failure of request %s"),
    UNEXPECTED_GRPC(502, Level.ERROR, "unexpected %s while handling gRPC request %s"),

    /**
     * An audit record could not be written, so what needed it was refused: the exception's simple name and what
     * was refused ({@code "the operation"}, {@code "the <tier> rotation of org <id>"}). AuditService and
     * RotationEngine log it: one event, the same id; the cause follows at DEBUG ({@link #debugCause}).
     */
    AUDIT_WRITE_FAILED(600, Level.ERROR, "an audit record could not be written (%s); %s was refused"),
    DENIAL_NOT_AUDITED(601, Level.WARN, "a denied %s could not be recorded in the audit trail (request %s)"),
    ROTATION_NOT_AUDITED(
            602,
            Level.WARN,
            "the %s rotation of org %s is done but could not be recorded in the audit " + "trail (request %s)"),
    /** Was CRATE-0602 too, which is {@link #ROTATION_NOT_AUDITED}. */
    AUDIT_READS_OFF(
            603,
            Level.WARN,
            "crate.audit.reads=false: reads of secret values are NOT recorded in the audit "
                    + "trail. This switch exists for bench/audit-reads.sh only; never run a real installation with it"),
    AUDIT_RETENTION_FAILED(610, Level.WARN, "audit retention failed this round (%s); it runs again later"),
    VERSION_PRUNING_FAILED(611, Level.WARN, "version pruning failed this round (%s); it runs again later"),

    /**
     * A workload token exchange was refused (the caller only saw 401 {@code workload_token_refused}): org,
     * issuer, {@code sub} and {@code jti} as the token claimed them (unverified when the refusal came first,
     * cleaned of control characters), the reason, the request id. Never the token.
     */
    WORKLOAD_TOKEN_REFUSED(
            700, Level.INFO, "workload token exchange refused: org %s, issuer %s, sub %s, jti %s: %s (request %s)"),
    WORKLOAD_TOKEN_ISSUED(
            701, Level.INFO, "workload token issued: org %s, binding %s, sub %s, jti %s, expires %s (request %s)"),
    /** The discovery document or key set of a bound issuer could not be fetched: issuer, what failed, why. */
    WORKLOAD_ISSUER_UNAVAILABLE(702, Level.WARN, "workload issuer %s: %s could not be fetched (%s)"),
    WORKLOAD_CLEANUP_FAILED(
            703, Level.WARN, "expired workload tokens could not be removed (%s); the next round tries again"),
    /** {@code notify.Notifications}: the listener connection closed or failed; a new one is opened. */
    NOTIFY_CONNECTION_LOST(720, Level.WARN, "the LISTEN/NOTIFY connection was lost (%s); reconnecting"),
    /** Logged for the first failed attempt and every tenth after it. */
    NOTIFY_CONNECT_FAILED(
            721, Level.WARN, "the LISTEN/NOTIFY connection could not be opened (%s), attempt %d; next try in %d ms"),
    NOTIFY_RECONNECTED(722, Level.INFO, "the LISTEN/NOTIFY connection is back after %d attempt(s), listening on %s"),
    NOTIFY_HANDLER_FAILED(723, Level.WARN, "a notification handler for %s failed (%s)"),
    CALLER_CACHE_ON(
            740,
            Level.INFO,
            "caller cache: up to %d API keys, organizations and environments each, for at most %s; "
                    + "changes arrive on channel %s"),
    CALLER_CACHE_OFF(741, Level.INFO, "caller cache off (CRATE_CALLER_CACHE_MAX_ENTRIES or _TTL is 0)"),
    CALLER_CACHE_FLUSHED(
            742,
            Level.INFO,
            "caller cache emptied: the LISTEN/NOTIFY connection was down, changes may have been missed"),
    EVENTS_RETENTION_FAILED(730, Level.WARN, "secret event retention failed this round (%s); it runs again later"),
    EVENTS_FETCH_FAILED(
            731,
            Level.WARN,
            "reading new secret events of org %s failed (%s); the next notification or heartbeat tries again"),
    EVENTS_STREAM_REVOKED(732, Level.INFO, "closed a secret event stream of org %s: the caller's access ended (%s)"),
    EVENTS_STREAM_TOO_SLOW(
            780,
            Level.INFO,
            "closed a secret event stream of org %s: its client does not read (%d items waiting); "
                    + "it resumes with Last-Event-ID"),
    STORE_BATCH_FAILED(
            830,
            Level.WARN,
            "a batch of %d stores of org %s failed (%s) and did not commit; its stores run again one at a time"),
    STORE_BATCH_COMMIT_RESOLVED(
            831,
            Level.WARN,
            "the commit of a batch of %d stores of org %s got no answer (%s); the database shows it %s"),
    STORE_BATCH_COMMIT_UNKNOWN(
            832,
            Level.ERROR,
            "the commit of a batch of %d stores of org %s got no answer (%s) and whether it committed "
                    + "cannot be told (%s): those stores answer 503 service_unavailable");

    /** Where JBoss Logging looks for the caller: the frame below this class, the call site. */
    private static final String FQCN = LogId.class.getName();

    private final int id;
    private final Level level;
    private final String message;

    LogId(int id, Level level, String message) {
        this.id = id;
        this.level = level;
        this.message = message;
    }

    public int id() {
        return id;
    }

    public Level level() {
        return level;
    }

    /** The message pattern, without the id. */
    public String message() {
        return message;
    }

    /** {@code CRATE-0022}. */
    public String code() {
        return String.format("CRATE-%04d", id);
    }

    /** The line as it is logged: {@code CRATE-NNNN <message with args>}. */
    public String format(Object... args) {
        return code() + " " + (args.length == 0 ? message : String.format(message, args));
    }

    public void log(Logger log, Object... args) {
        logWithCause(log, null, args);
    }

    /** As {@link #log}, with the cause's stack trace (JBoss Logging's {@code errorf(t, ...)}). */
    public void logWithCause(Logger log, Throwable cause, Object... args) {
        if (args.length == 0) {
            log.log(level, FQCN, code() + " " + message, cause);
        } else {
            log.logf(FQCN, level, cause, code() + " " + message, args);
        }
    }

    /** {@code CRATE-NNNN cause} at DEBUG with the stack trace, after the entry's own line. */
    public void debugCause(Logger log, Throwable cause) {
        log.log(Level.DEBUG, FQCN, code() + " cause", cause);
    }
}
