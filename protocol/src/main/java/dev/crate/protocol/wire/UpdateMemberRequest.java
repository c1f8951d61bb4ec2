package dev.crate.protocol.wire;

import java.util.List;
import java.util.Map;

/** Changes a member's {@code role} and/or replaces its {@code grants}; absent fields stay. */
public record UpdateMemberRequest(String role, Map<String, List<String>> grants) {}
