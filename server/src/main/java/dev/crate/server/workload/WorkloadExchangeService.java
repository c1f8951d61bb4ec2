package dev.crate.server.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditEntry;
import dev.crate.server.audit.AuditService;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.identity.OrganizationRepository;
import dev.crate.server.log.LogId;
import dev.crate.server.support.Offload;
import dev.crate.server.support.Times;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

/**
 * {@code POST /auth/workload-token} (docs/API.md, section 14): a platform's signed token for a short-lived
 * Crate token. The token must name a bound issuer, verify against that issuer's published keys (asymmetric
 * algorithms only), be within its {@code exp}/{@code nbf}/{@code iat} (with a small clock skew), not be
 * spent (exchanged before, and the first Crate token issued for it expired), and meet the rules of one of the org's bindings for that issuer (the oldest that
 * matches wins). Every refusal is the same 401 {@code workload_token_refused}; its reason goes to the audit
 * trail and the log. JWT validation is jose4j's, on the JCA providers chosen at start (crypto.provider).
 */
@ApplicationScoped
public class WorkloadExchangeService {
    private static final Logger LOG = Logger.getLogger(WorkloadExchangeService.class);
    static final Set<String> TOKEN_TYPES =
            Set.of("urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token");
    private static final String[] ALGORITHMS = {
        AlgorithmIdentifiers.RSA_USING_SHA256,
        AlgorithmIdentifiers.RSA_USING_SHA384,
        AlgorithmIdentifiers.RSA_USING_SHA512,
        AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
        AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
        AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384
    };
    private static final Set<String> ALLOWED = Set.of(ALGORITHMS);
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final int MAX_TOKEN_ID = 256;
    private static final TypeReference<Map<String, String>> RULES = new TypeReference<>() {};

    private final OrganizationRepository organizations;
    private final WorkloadIdentityRepository bindings;
    private final WorkloadTokenRepository tokens;
    private final IssuerKeys keys;
    private final AuditService audit;
    private final ObjectMapper json;
    private final int skewSeconds;

    WorkloadExchangeService(
            OrganizationRepository organizations,
            WorkloadIdentityRepository bindings,
            WorkloadTokenRepository tokens,
            IssuerKeys keys,
            AuditService audit,
            ObjectMapper json,
            CrateConfig config) {
        this.organizations = organizations;
        this.bindings = bindings;
        this.tokens = tokens;
        this.keys = keys;
        this.audit = audit;
        this.json = json;
        this.skewSeconds = (int) config.workload().clockSkew().toSeconds();
    }

    public Uni<WorkloadTokenResponse> exchange(WorkloadTokenRequest request, Caller.Origin origin) {
        ExchangeAttempt attempt = new ExchangeAttempt(origin);
        return Uni.createFrom()
                .deferred(() -> start(request, attempt))
                .onFailure(Refusal.class)
                .call(refusal -> recordRefusal(attempt, (Refusal) refusal))
                .onFailure(Refusal.class)
                .transform(
                        refusal -> new CrateException(
                                ErrorCode.WORKLOAD_TOKEN_REFUSED,
                                "the platform token was not accepted; an admin of the organization can see why in the audit trail"));
    }

    private Uni<WorkloadTokenResponse> start(WorkloadTokenRequest request, ExchangeAttempt attempt) {
        if (request == null) {
            throw new Refusal("no request body");
        }
        attempt.orgId = parseUuid(request.organization());
        if (attempt.orgId == null) {
            throw new Refusal("organization is missing or not an organization id");
        }
        if (request.subjectTokenType() == null || !TOKEN_TYPES.contains(request.subjectTokenType())) {
            throw new Refusal("subject_token_type is missing or not a JWT token type");
        }
        String token = request.subjectToken();
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new Refusal("subject_token is missing or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        JwtContext unverified = parseUnverified(token);
        JsonWebSignature jws = signature(unverified);
        Map<String, Object> claims = unverified.getJwtClaims().getClaimsMap();
        attempt.issuer = text(claims.get("iss"));
        attempt.subject = text(claims.get("sub"));
        attempt.jti = text(claims.get("jti"));
        String alg = jws.getAlgorithmHeaderValue();
        return Panache.withSession(() -> organizations.findById(attempt.orgId).chain(org -> {
                    if (org == null) {
                        throw new Refusal("no such organization");
                    }
                    // checked once the org is known, so that these refusals reach its audit trail too
                    attempt.orgExists = true;
                    if (alg == null || !ALLOWED.contains(alg)) {
                        throw new Refusal("algorithm " + clean(alg) + " is not accepted (asymmetric signatures only)");
                    }
                    if (attempt.issuer == null) {
                        throw new Refusal("the token names no issuer");
                    }
                    return bindings.listForIssuer(attempt.orgId, attempt.issuer);
                }))
                .chain(candidates -> {
                    if (candidates.isEmpty()) {
                        throw new Refusal("no binding of the organization names this issuer");
                    }
                    return keys.keyFor(attempt.issuer, jws)
                            .onFailure(IssuerKeys.NoKey.class)
                            .transform(e -> new Refusal(e.getMessage()))
                            .chain(key -> Offload.cpu(() -> verify(token, attempt.issuer, key)))
                            .chain(verified -> issue(token, verified, candidates, attempt));
                });
    }

    private static JwtContext parseUnverified(String token) {
        try {
            return new JwtConsumerBuilder()
                    .setSkipAllValidators()
                    .setDisableRequireSignature()
                    .setSkipSignatureVerification()
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS)
                    .build()
                    .process(token);
        } catch (InvalidJwtException | RuntimeException e) {
            throw new Refusal("not a well-formed signed JWT");
        }
    }

    private static JsonWebSignature signature(JwtContext context) {
        List<JsonWebStructure> structures = context.getJoseObjects();
        if (structures.size() != 1 || !(structures.get(0) instanceof JsonWebSignature jws)) {
            throw new Refusal("not a signed JWT (nested or encrypted tokens are not accepted)");
        }
        return jws;
    }

    /** Signature, issuer, {@code exp} (required), {@code nbf} and {@code iat} (when present), with the skew. */
    private JwtClaims verify(String token, String issuer, JsonWebKey key) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(skewSeconds)
                .setExpectedIssuer(true, issuer)
                .setSkipDefaultAudienceValidation()
                .setVerificationKey(key.getKey())
                .setJwsAlgorithmConstraints(
                        new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS))
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new Refusal(reason(e));
        }
        try {
            if (claims.getIssuedAt() != null
                    && claims.getIssuedAt().getValue() > Instant.now().getEpochSecond() + skewSeconds) {
                throw new Refusal("issued in the future (iat)");
            }
        } catch (MalformedClaimException e) {
            throw new Refusal("iat is not a number");
        }
        return claims;
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "expired (exp)";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "not yet valid (nbf)";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "signature does not verify";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "no expiration time (exp)";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "wrong issuer";
        }
        if (e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return "a registered claim is malformed";
        }
        return "invalid token (jose4j error "
                + e.getErrorDetails().stream()
                        .map(d -> String.valueOf(d.getErrorCode()))
                        .toList() + ")";
    }

    /** Picks the binding, claims the platform token, stores the new token and its record in one transaction. */
    private Uni<WorkloadTokenResponse> issue(
            String token, JwtClaims verified, List<WorkloadIdentityRecord> candidates, ExchangeAttempt attempt) {
        Map<String, Object> claims = verified.getClaimsMap();
        attempt.subject = text(claims.get("sub"));
        attempt.jti = text(claims.get("jti"));
        WorkloadIdentityRecord binding = match(candidates, claims);
        attempt.bindingId = binding.id;
        attempt.bindingName = binding.name;
        OffsetDateTime platformExpiry;
        try {
            platformExpiry = OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(verified.getExpirationTime().getValue()), ZoneOffset.UTC);
        } catch (MalformedClaimException e) {
            throw new Refusal("exp is not a number");
        }
        String tokenId = attempt.jti != null && attempt.jti.length() <= MAX_TOKEN_ID
                ? "jti:" + attempt.jti
                : "sha256:" + HexFormat.of().formatHex(WorkloadTokenFormat.hash(token));
        String secret = WorkloadTokenFormat.generate();
        OffsetDateTime now = Times.now();
        OffsetDateTime wanted = now.plusSeconds(binding.tokenTtlSeconds);
        OffsetDateTime[] expiresAt = {wanted};
        return Panache.withTransaction(() -> tokens.claimExchange(attempt.issuer, tokenId, platformExpiry, wanted)
                        .chain(until -> {
                            // A repeat exchange gets a token that ends when the first one does, never later;
                            // once that moment has passed, the platform token is spent (a replay).
                            OffsetDateTime limit =
                                    OffsetDateTime.ofInstant(Instant.ofEpochSecond(until), ZoneOffset.UTC);
                            if (!limit.isAfter(now)) {
                                throw new Refusal(
                                        "this platform token was exchanged before and its Crate token has expired (replay)");
                            }
                            if (limit.isBefore(wanted.truncatedTo(ChronoUnit.SECONDS))) {
                                expiresAt[0] = limit;
                            }
                            WorkloadTokenRecord row = new WorkloadTokenRecord();
                            row.id = UUID.randomUUID();
                            row.tokenHash = WorkloadTokenFormat.hash(secret);
                            row.bindingId = binding.id;
                            row.orgId = binding.orgId;
                            row.subject = attempt.subject;
                            row.createdAt = now;
                            row.expiresAt = expiresAt[0];
                            return tokens.persist(row);
                        })
                        .call(row -> audit.append(successEntry(binding, attempt, expiresAt[0]))))
                .map(row -> {
                    LogId.WORKLOAD_TOKEN_ISSUED.log(
                            LOG,
                            attempt.orgId,
                            binding.id,
                            clean(attempt.subject),
                            clean(attempt.jti),
                            expiresAt[0],
                            attempt.origin.requestId());
                    return new WorkloadTokenResponse(
                            secret,
                            WorkloadTokenResponse.ISSUED_TOKEN_TYPE,
                            "Bearer",
                            expiresAt[0] == wanted
                                    ? binding.tokenTtlSeconds
                                    : Math.max(
                                            1,
                                            Duration.between(now, expiresAt[0]).getSeconds()),
                            binding.id);
                });
    }

    /** The oldest binding whose rules the claims meet; otherwise a refusal naming what the closest one missed. */
    private WorkloadIdentityRecord match(List<WorkloadIdentityRecord> candidates, Map<String, Object> claims) {
        String firstMiss = null;
        for (WorkloadIdentityRecord binding : candidates) {
            String miss = BindingRules.firstMiss(binding, claims, rules(binding));
            if (miss == null) {
                return binding;
            }
            if (firstMiss == null || "aud".equals(firstMiss)) {
                firstMiss = miss;
            }
        }
        throw new Refusal(
                "aud".equals(firstMiss)
                        ? "wrong audience: no binding for this issuer accepts the token's aud"
                        : "claims miss the rules of every binding for this issuer (first miss: " + clean(firstMiss)
                                + ")");
    }

    private Map<String, String> rules(WorkloadIdentityRecord binding) {
        try {
            return binding.claims == null ? Map.of() : json.readValue(binding.claims, RULES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored claim rules are not a JSON object", e);
        }
    }

    private AuditEntry successEntry(WorkloadIdentityRecord binding, ExchangeAttempt attempt, OffsetDateTime expiresAt) {
        Caller workload = Caller.workload(WorkloadIdentityProvider.scope(binding), attempt.subject)
                .withOrigin(attempt.origin);
        return audit.entry(workload, binding.orgId, AuditAction.WORKLOAD_EXCHANGE, null, null, null)
                .withDetail(audit.detail(details(attempt, Map.of("expires_at", expiresAt.toString()))));
    }

    private Uni<Void> recordRefusal(ExchangeAttempt attempt, Refusal refusal) {
        LogId.WORKLOAD_TOKEN_REFUSED.log(
                LOG,
                attempt.orgId,
                clean(attempt.issuer),
                clean(attempt.subject),
                clean(attempt.jti),
                refusal.reason(),
                attempt.origin.requestId());
        if (!attempt.orgExists) {
            return Uni.createFrom().voidItem();
        }
        AuditEntry entry = new AuditEntry(
                attempt.orgId,
                Times.now(),
                "workload",
                attempt.bindingId == null ? null : attempt.bindingId.toString(),
                attempt.bindingName == null
                        ? clean(attempt.subject)
                        : attempt.bindingName + " (" + clean(attempt.subject) + ")",
                AuditAction.WORKLOAD_EXCHANGE.wire(),
                null,
                null,
                null,
                audit.detail(details(attempt, Map.of("refusal", refusal.reason()))),
                AuditEntry.DENIED,
                ErrorCode.WORKLOAD_TOKEN_REFUSED.code(),
                attempt.origin.ip(),
                attempt.origin.userAgent(),
                attempt.origin.requestId());
        // the refusal stands even when its record cannot be written (AuditService logs that)
        return audit.commit(entry).onFailure().recoverWithNull();
    }

    private static Map<String, Object> details(ExchangeAttempt attempt, Map<String, String> extra) {
        Map<String, Object> detail = new HashMap<>(extra);
        if (attempt.issuer != null) {
            detail.put("issuer", clean(attempt.issuer));
        }
        if (attempt.subject != null) {
            detail.put("sub", clean(attempt.subject));
        }
        if (attempt.jti != null) {
            detail.put("jti", clean(attempt.jti));
        }
        if (attempt.bindingId != null) {
            detail.put("binding_id", attempt.bindingId.toString());
            detail.put("binding_name", attempt.bindingName);
        }
        return detail;
    }

    private static String text(Object claim) {
        return claim instanceof String s ? s : null;
    }

    /** Claim text for logs and records: control characters out, at most 200 characters. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String out = text.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return out.length() > 200 ? out.substring(0, 200) + "..." : out;
    }

    private static UUID parseUuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
