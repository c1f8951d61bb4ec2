#!/usr/bin/env bash
# Crate with nothing but curl and openssl: seal a value, store it, list it, retrieve it sealed to a
# temporary key, verify the answer's authentication tag, decrypt it, and check it matches.
# Besides curl and openssl it uses only POSIX tools (sed, tr, cut, od, base64, printf, wc, cmp, mktemp).
# The same walk, explained step by step, is docs/API.md "Worked example: curl and openssl only".
#
#   CRATE_SERVER  server URL                       (default http://localhost:8080)
#   CRATE_TOKEN   an admin API key, crate_...      (required)
#   CRATE_ORG     organization id                  (default: the first one GET /organizations lists)
#   CRATE_ENV     environment                      (default dev)
#   SECRET_NAME   secret name                      (default DEMO_API_KEY)
#   SECRET_VALUE  secret value, 1 to 318 bytes     (default a demo value)
#
# Progress goes to stderr. On success stdout holds exactly one line, "retrieved NAME=VALUE", and the
# exit status is 0; any failure (including a retrieved value that differs) exits non-zero.
# The secret is stored with the tag "demo" (given tags replace a secret's tags).
set -euo pipefail

CRATE_SERVER=${CRATE_SERVER:-http://localhost:8080}
CRATE_SERVER=${CRATE_SERVER%/}
CRATE_TOKEN=${CRATE_TOKEN:-}
CRATE_ORG=${CRATE_ORG:-}
CRATE_ENV=${CRATE_ENV:-dev}
SECRET_NAME=${SECRET_NAME:-DEMO_API_KEY}
SECRET_VALUE=${SECRET_VALUE:-sk_demo_4eC39HqLyjWDarjtT1zdp7dc}
TAG=demo

# The OAEP parameters Crate uses for sealing values and for wrapping the retrieve answer's key.
OAEP=(-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256)

die() { printf 'crate: %s\n' "$*" >&2; exit 1; }
step() { printf '==> %s\n' "$*" >&2; }

# --- check the settings before anything travels ---------------------------------------------------
[ -n "$CRATE_TOKEN" ] || die "set CRATE_TOKEN to an admin API key (crate_...)"
case $CRATE_TOKEN in *[!A-Za-z0-9_]*) die "CRATE_TOKEN does not look like a Crate API key (crate_...)";; esac
case $SECRET_NAME in
    [A-Za-z_]*) case $SECRET_NAME in *[!A-Za-z0-9_]*) die "SECRET_NAME must match ^[A-Za-z_][A-Za-z0-9_]{0,127}\$";; esac ;;
    *) die "SECRET_NAME must match ^[A-Za-z_][A-Za-z0-9_]{0,127}\$" ;;
esac
case $CRATE_ENV in
    [a-z0-9]*) case $CRATE_ENV in *[!a-z0-9-]*) die "CRATE_ENV must match ^[a-z0-9][a-z0-9-]{0,31}\$";; esac ;;
    *) die "CRATE_ENV must match ^[a-z0-9][a-z0-9-]{0,31}\$" ;;
esac
case $CRATE_ORG in *[!0-9a-fA-F-]*) die "CRATE_ORG must be an organization id (a UUID)";; esac
value_bytes=$(printf '%s' "$SECRET_VALUE" | wc -c | tr -d ' ')
[ "$value_bytes" -le 318 ] || die "SECRET_VALUE has $value_bytes bytes; RSA-OAEP sealing under the org's RSA-3072 key carries at most 318 (larger values need a JWE with A256GCM, which the openssl command line cannot make)"

umask 077
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# The token goes to curl in a header file, so it never shows in the process list.
printf 'Authorization: Bearer %s\n' "$CRATE_TOKEN" > auth.header

# api METHOD PATH [JSON_BODY_FILE]: prints the response body; stops on any non-2xx answer.
api() {
    local method=$1 path=$2 body=${3:-} status
    local args=(-sS -X "$method" -o response.out -w '%{http_code}' -H @auth.header -H 'Accept: application/json')
    if [ -n "$body" ]; then
        args+=(-H 'Content-Type: application/json' --data-binary "@$body")
    fi
    status=$(curl "${args[@]}" "$CRATE_SERVER$path") || die "cannot reach $CRATE_SERVER"
    case $status in
        2??) cat response.out ;;
        *) die "$method $path answered HTTP $status: $(cat response.out)" ;;
    esac
}

# json_field NAME < json: the first string field NAME. Enough for Crate's ids, keys and JWEs, which
# hold no quotes, commas or brackets; one field per line, then sed picks it.
json_field() { tr ',{}[]' '\n\n\n\n\n' | sed -n "s/^\"$1\":\"\([^\"]*\)\"\$/\1/p" | sed -n 1p; }

# b64url_decode TEXT: base64url (no padding) to bytes on stdout.
b64url_decode() {
    local s
    s=$(printf '%s' "$1" | tr '_-' '/+')
    case $(( ${#s} % 4 )) in
        2) s="$s==" ;;
        3) s="$s=" ;;
        1) die "malformed base64url in the answer" ;;
    esac
    printf '%s' "$s" | base64 -d
}

# hex < bytes: lowercase hex, one line.
hex() { od -An -v -tx1 | tr -d ' \n'; }

# utf8 CODEPOINT: its UTF-8 bytes, whatever the locale.
utf8() {
    local cp=$1 fmt
    if [ "$cp" -lt 128 ]; then
        fmt=$(printf '\\%03o' "$cp")
    elif [ "$cp" -lt 2048 ]; then
        fmt=$(printf '\\%03o\\%03o' $(( 192 | cp >> 6 )) $(( 128 | cp & 63 )))
    elif [ "$cp" -lt 65536 ]; then
        fmt=$(printf '\\%03o\\%03o\\%03o' $(( 224 | cp >> 12 )) $(( 128 | cp >> 6 & 63 )) $(( 128 | cp & 63 )))
    else
        fmt=$(printf '\\%03o\\%03o\\%03o\\%03o' $(( 240 | cp >> 18 )) $(( 128 | cp >> 12 & 63 )) \
            $(( 128 | cp >> 6 & 63 )) $(( 128 | cp & 63 )))
    fi
    # shellcheck disable=SC2059 # the format is the octal escapes made above
    printf "$fmt"
}

# json_unescape TEXT: the bytes a JSON string body stands for (\" \\ \/ \b \f \n \r \t \uXXXX,
# with surrogate pairs such as \uD83D\uDD11 joined, as the server writes characters beyond U+FFFF).
json_unescape() {
    local s=$1 cp lo
    while [ -n "$s" ]; do
        case $s in
            \\*) ;;
            *) printf '%s' "${s%%\\*}"; s=${s#"${s%%\\*}"}; continue ;;
        esac
        case $s in
            '\"'*) printf '"' ;;
            '\\'*) printf '\\' ;;
            '\/'*) printf '/' ;;
            '\b'*) printf '\b' ;;
            '\f'*) printf '\f' ;;
            '\n'*) printf '\n' ;;
            '\r'*) printf '\r' ;;
            '\t'*) printf '\t' ;;
            '\u'[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]*)
                cp=$(( 16#${s:2:4} ))
                s=${s:6}
                if [ "$cp" -ge 55296 ] && [ "$cp" -le 56319 ]; then   # high surrogate D800-DBFF
                    case $s in
                        '\u'[dD][c-fC-F][0-9a-fA-F][0-9a-fA-F]*)
                            lo=$(( 16#${s:2:4} ))
                            s=${s:6}
                            cp=$(( 65536 + ((cp - 55296) << 10) + (lo - 56320) )) ;;
                    esac
                fi
                utf8 "$cp"
                continue ;;
            *) die "malformed JSON escape in the answer" ;;
        esac
        s=${s#??}
    done
}

# --- 1. the organization ------------------------------------------------------------------------
if [ -z "$CRATE_ORG" ]; then
    CRATE_ORG=$(api GET /organizations | json_field id)
    [ -n "$CRATE_ORG" ] || die "this API key sees no organization"
fi
step "organization $CRATE_ORG on $CRATE_SERVER"

# --- 2. the organization's public key -------------------------------------------------------------
api GET "/organization/$CRATE_ORG/secrets/public-key" > public-key.json
printf '%b' "$(json_field public_key_pem < public-key.json)" > org.pem
openssl pkey -pubin -in org.pem -noout 2>/dev/null || die "the server sent no usable public key"
step "public key $(json_field kid < public-key.json)"

# --- 3. seal the value and store it -------------------------------------------------------------
# Bound to its destination (docs/API.md, section 6): the OAEP label crate/v1/<org>/<env>/<name>, the
# org id in lowercase; openssl takes the label as hex. Stored anywhere else, the value is refused.
label=$(printf 'crate/v1/%s/%s/%s' "$(printf '%s' "$CRATE_ORG" | tr 'A-F' 'a-f')" "$CRATE_ENV" "$SECRET_NAME" \
    | od -An -tx1 | tr -d ' \n')
printf '%s' "$SECRET_VALUE" \
    | openssl pkeyutl -encrypt -pubin -inkey org.pem "${OAEP[@]}" -pkeyopt "rsa_oaep_label:$label" \
    | base64 | tr -d '\n' > sealed.b64
printf '{"name":"%s","environment":"%s","encrypted_value":"%s","sealed":true,"tags":["%s"]}' \
    "$SECRET_NAME" "$CRATE_ENV" "$(cat sealed.b64)" "$TAG" > store.json
stored=$(api PUT "/organization/$CRATE_ORG/secrets" store.json)
version=$(printf '%s' "$stored" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
step "stored $SECRET_NAME in $CRATE_ENV as version $version"

# --- 4. list: metadata only, never values ---------------------------------------------------------
listed=$(api GET "/organization/$CRATE_ORG/secrets?env=$CRATE_ENV&tags=$TAG")
case $listed in
    *"{\"name\":\"$SECRET_NAME\",\"environment\":\"$CRATE_ENV\",\"version\":$version,"*) ;;
    *) die "$SECRET_NAME version $version is not in the list: $listed" ;;
esac
step "listed $SECRET_NAME (version $version) among the $CRATE_ENV secrets tagged $TAG"

# --- 5. a temporary key pair for the answer -------------------------------------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out client.key 2>/dev/null
openssl pkey -in client.key -pubout -out client.pub
client_pem_json=$(sed 's/$/\\n/' client.pub | tr -d '\n')   # PEM as a JSON string: newlines as \n

# --- 6. retrieve, sealed to the temporary key -----------------------------------------------------
# enc A256CBC-HS512: AES-CBC plus HMAC-SHA-512, both of which the openssl command line can do.
printf '{"environment":"%s","names":["%s"],"client_public_key_pem":"%s","enc":"A256CBC-HS512"}' \
    "$CRATE_ENV" "$SECRET_NAME" "$client_pem_json" > retrieve.json
api POST "/organization/$CRATE_ORG/secrets/retrieve" retrieve.json > answer.json
jwe=$(json_field sealed_payload < answer.json)
case $jwe in
    *.*.*.*.*.*) die "sealed_payload has more than five parts" ;;
    *.*.*.*.*) ;;
    *) die "sealed_payload is not a JWE compact serialization" ;;
esac
step "retrieved a sealed answer of ${#jwe} characters"

# --- 7. open the JWE: split, unwrap the key, VERIFY the tag, then decrypt -----------------------
protected=$(printf '%s' "$jwe" | cut -d. -f1)
b64url_decode "$protected" > header.json
b64url_decode "$(printf '%s' "$jwe" | cut -d. -f2)" > cek.enc
b64url_decode "$(printf '%s' "$jwe" | cut -d. -f3)" > iv.bin
b64url_decode "$(printf '%s' "$jwe" | cut -d. -f4)" > ciphertext.bin
b64url_decode "$(printf '%s' "$jwe" | cut -d. -f5)" > tag.bin

header=$(cat header.json)
case $header in *'"alg":"RSA-OAEP-256"'*) ;; *) die "unexpected JWE header $header";; esac
case $header in *'"enc":"A256CBC-HS512"'*) ;; *) die "unexpected JWE header $header";; esac
case $header in *'"zip"'*|*'"crit"'*) die "unsupported JWE header $header";; esac
[ "$(wc -c < iv.bin | tr -d ' ')" -eq 16 ] || die "the IV must be 16 bytes"
[ "$(wc -c < tag.bin | tr -d ' ')" -eq 32 ] || die "the tag must be 32 bytes"

# The content key: 64 bytes, RSA-OAEP-256 wrapped to the temporary key.
openssl pkeyutl -decrypt -inkey client.key -in cek.enc -out cek.bin "${OAEP[@]}" 2>/dev/null \
    || die "cannot unwrap the content key with the temporary private key"
[ "$(wc -c < cek.bin | tr -d ' ')" -eq 64 ] || die "the content key must be 64 bytes"
cek_hex=$(hex < cek.bin)
mac_key=$(printf '%s' "$cek_hex" | cut -c1-64)     # first 32 bytes: HMAC-SHA-512 key
enc_key=$(printf '%s' "$cek_hex" | cut -c65-128)   # last 32 bytes: AES-256-CBC key
iv_hex=$(hex < iv.bin)

# RFC 7518 5.2.2.1: tag = first 32 bytes of HMAC-SHA-512(mac_key, AAD || IV || ciphertext || AL),
# AAD = ASCII of the protected header as sent (base64url), AL = AAD length in bits, 64-bit big-endian.
aad_bits=$(( ${#protected} * 8 ))
{
    printf '%s' "$protected"
    cat iv.bin ciphertext.bin
    for bit in 56 48 40 32 24 16 8 0; do
        printf "\\$(printf '%03o' $(( (aad_bits >> bit) & 255 )))"
    done
} > mac-input.bin
expected_tag=$(openssl dgst -sha512 -mac HMAC -macopt "hexkey:$mac_key" -binary mac-input.bin | hex | cut -c1-64)
actual_tag=$(hex < tag.bin)
[ "$expected_tag" = "$actual_tag" ] \
    || die "authentication tag mismatch: the answer was altered or not sealed to this key; refusing to decrypt"
step "authentication tag verified"

openssl enc -d -aes-256-cbc -K "$enc_key" -iv "$iv_hex" -in ciphertext.bin -out payload.json \
    || die "decryption failed"

# --- 8. read the value out of {"environment":..,"secrets":[{"name","value","version","tags"}],"missing":[..]}
case $(cat payload.json) in
    *'"missing":['*"\"$SECRET_NAME\""*) die "the server reports $SECRET_NAME as missing" ;;
esac
escaped=$(sed -n 's/.*{"name":"'"$SECRET_NAME"'","value":"\([^"\\]*\(\\.[^"\\]*\)*\)".*/\1/p' payload.json)
json_unescape "$escaped" > value.txt
[ -s value.txt ] || die "no value for $SECRET_NAME in the answer"

printf '%s' "$SECRET_VALUE" > expected.txt
cmp -s value.txt expected.txt || die "the retrieved value of $SECRET_NAME differs from the stored one"
{ printf 'retrieved %s=' "$SECRET_NAME"; cat value.txt; printf '\n'; }
