package dev.crate.server.embedded;

import static dev.crate.server.embedded.FileOps.chownTree;
import static dev.crate.server.embedded.FileOps.currentUid;
import static dev.crate.server.embedded.FileOps.uidOf;
import static dev.crate.server.embedded.Messages.ALTERNATIVE;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs the PostgreSQL programs as a user PostgreSQL accepts. PostgreSQL refuses to run as root, so a root JVM runs
 * them inside a new user namespace ({@code unshare -U}) where that works, else as an unprivileged account through
 * {@code runuser} on files chowned to it; see {@link RunAs}.
 */
final class Runner {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    /** Environment variable naming the account to run PostgreSQL as, when running as root without user namespaces. */
    static final String RUN_AS_USER_ENV = "CRATE_EMBEDDED_PG_USER";

    private static final String DEFAULT_RUN_AS_USER = "nobody";

    final RunAs runAs;
    final List<String> prefix;
    final String accountName;
    final long ownerUid;
    final UserPrincipal owner;
    final GroupPrincipal group;

    private Runner(
            RunAs runAs,
            List<String> prefix,
            String accountName,
            long ownerUid,
            UserPrincipal owner,
            GroupPrincipal group) {
        this.runAs = runAs;
        this.prefix = prefix;
        this.accountName = accountName;
        this.ownerUid = ownerUid;
        this.owner = owner;
        this.group = group;
    }

    static Runner choose(RunAs forced) {
        long uid = currentUid();
        if (forced == RunAs.CURRENT_USER || (forced == null && uid != 0)) {
            if (uid == 0) {
                throw new EmbeddedDatabaseException("Cannot run the embedded PostgreSQL as root directly: "
                        + "PostgreSQL refuses to run as root. " + ALTERNATIVE);
            }
            return new Runner(RunAs.CURRENT_USER, List.of(), null, uid, null, null);
        }
        if (uid != 0) {
            throw new EmbeddedDatabaseException(
                    "Running the embedded PostgreSQL as " + forced + " needs root. " + ALTERNATIVE);
        }
        UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        String unshare = Processes.findExecutable("unshare");
        if (forced == RunAs.USER_NAMESPACE || (forced == null && unshare != null && userNamespacesWork(unshare))) {
            if (unshare == null) {
                throw new EmbeddedDatabaseException("The 'unshare' program (util-linux) is missing. " + ALTERNATIVE);
            }
            return new Runner(
                    RunAs.USER_NAMESPACE,
                    List.of(unshare, "-U"),
                    null,
                    0,
                    (UserPrincipal) principal(lookup, "0", false),
                    (GroupPrincipal) principal(lookup, "0", true));
        }
        String account = System.getenv(RUN_AS_USER_ENV);
        if (account == null || account.isBlank()) {
            account = DEFAULT_RUN_AS_USER;
        }
        account = account.trim();
        String runuser = Processes.findExecutable("runuser");
        long accountUid = idOf(account, "-u");
        long accountGid = idOf(account, "-g");
        if (runuser == null || accountUid <= 0 || accountGid < 0) {
            throw new EmbeddedDatabaseException("Cannot run the embedded PostgreSQL: Crate runs as root, which "
                    + "PostgreSQL refuses, and neither of the ways around it works here: user namespaces are "
                    + "not available ('unshare -U' fails), and "
                    + (runuser == null
                            ? "the 'runuser' program (util-linux) is missing"
                            : "there is no unprivileged account '" + account + "'")
                    + ". Run Crate as an ordinary user, allow user namespaces, name an existing "
                    + "unprivileged account in " + RUN_AS_USER_ENV + ", " + ESCAPE_HATCH);
        }
        return new Runner(
                RunAs.OTHER_USER,
                List.of(runuser, "-u", account, "--"),
                account,
                accountUid,
                (UserPrincipal) principal(lookup, Long.toString(accountUid), false),
                (GroupPrincipal) principal(lookup, Long.toString(accountGid), true));
    }

    /** uid (-u) or primary gid (-g) of an account, -1 if unknown. The JDK has no getpwnam: ask id(1). */
    private static long idOf(String account, String flag) {
        ProcessResult r = Processes.run(List.of(Processes.findExecutableOr("id"), flag, account), 10);
        try {
            return r.exitCode == 0 ? Long.parseLong(r.output.trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Object principal(UserPrincipalLookupService lookup, String name, boolean isGroup) {
        try {
            return isGroup ? lookup.lookupPrincipalByGroupName(name) : lookup.lookupPrincipalByName(name);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not look up the " + (isGroup ? "group " : "user ") + name + " (" + describe(e) + "). "
                            + ALTERNATIVE,
                    e);
        }
    }

    private static boolean userNamespacesWork(String unshare) {
        // Inside a fresh user namespace without a uid map, root appears as the overflow uid (65534).
        ProcessResult r = Processes.run(List.of(unshare, "-U", Processes.findExecutableOr("id"), "-u"), 10);
        boolean works = r.exitCode == 0 && !r.output.trim().equals("0") && !r.output.isBlank();
        LOG.debugf(
                "user namespaces %s (unshare -U id -u: exit %d, '%s')",
                works ? "work" : "do not work", r.exitCode, r.output.trim());
        return works;
    }

    List<String> command(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Makes the files the PostgreSQL programs write owned by the uid they run as (root: files stay root's). */
    void takeOwnership(Path path) {
        if (owner == null) {
            return;
        }
        try {
            if (uidOf(path) == ownerUid) {
                return;
            }
            if (path.getFileName().toString().equals("pg")) {
                LOG.infof("changing the owner of %s to uid %d for the embedded PostgreSQL", path, ownerUid);
            }
            chownTree(path, owner, group);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not change the owner of " + path + " to "
                            + "uid " + ownerUid + " (" + describe(e) + "), which the embedded PostgreSQL needs. "
                            + ALTERNATIVE,
                    e);
        }
    }

    /** The log file is opened by pg_ctl, so it must belong to the uid the programs run as. */
    void prepareLogFile(Path logFile) {
        if (owner == null) {
            return;
        }
        try {
            if (!Files.exists(logFile)) {
                Files.createFile(
                        logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            takeOwnership(logFile);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not create the log file " + logFile + " (" + describe(e) + "). " + ALTERNATIVE, e);
        }
    }

    String accessHint(Path base) {
        if (runAs != RunAs.OTHER_USER) {
            return "";
        }
        return " The PostgreSQL programs run as the unprivileged account '" + accountName + "', which must be "
                + "able to reach " + base + " (every parent directory searchable by it) and the unpacked "
                + "binaries under " + System.getProperty("java.io.tmpdir") + " (" + RUN_AS_USER_ENV + " names "
                + "another account).";
    }
}
