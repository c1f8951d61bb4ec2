package dev.crate.server.workload;

/**
 * Why an exchange was refused, for the audit trail and the log only: the caller sees 401
 * {@code workload_token_refused} whatever it says. The reason never quotes the token.
 */
final class Refusal extends RuntimeException {
    Refusal(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
