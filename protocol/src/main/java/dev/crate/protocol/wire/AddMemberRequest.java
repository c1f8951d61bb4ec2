package dev.crate.protocol.wire;

import java.util.List;
import java.util.Map;

/** Adds a user by {@code email} or {@code subject} with a {@code role} and, for members, {@code grants}. */
public record AddMemberRequest(String email, String subject, String role, Map<String, List<String>> grants) {}
