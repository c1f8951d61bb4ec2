package dev.crate.server.workload;

import dev.crate.server.domain.Caller;
import java.util.UUID;

/**
 * What one exchange learnt so far, for its audit record and log line: filled in step by step, so a refusal
 * names as much as was known (claims as the token stated them, verified or not). Never the token.
 */
final class ExchangeAttempt {
    final Caller.Origin origin;
    UUID orgId;
    boolean orgExists;
    String issuer;
    String subject;
    String jti;
    UUID bindingId;
    String bindingName;

    ExchangeAttempt(Caller.Origin origin) {
        this.origin = origin == null ? Caller.Origin.NONE : origin;
    }
}
