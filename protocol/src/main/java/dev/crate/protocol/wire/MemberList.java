package dev.crate.protocol.wire;

import java.util.List;

public record MemberList(List<Member> members) {}
