package dev.crate.protocol.wire;

import java.util.List;

public record OrganizationList(List<Organization> organizations) {}
