package dev.crate.cli.commands.members;

import dev.crate.cli.commands.Grants;
import dev.crate.cli.output.Table;
import dev.crate.protocol.wire.Member;
import java.util.Objects;

/** One member as {@code add} and {@code set} print it. */
final class MemberTable {
    private MemberTable() {}

    static Table of(Member m) {
        return new Table("ID", "EMAIL", "ROLE", "GRANTS")
                .row(m.id(), Objects.toString(m.email(), ""), m.role(), Grants.format(m.grants()));
    }
}
