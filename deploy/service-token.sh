#!/bin/sh
# Prints the token of a service for storage's internal API (docs/adr/0017):
#   <service>.<base64url(HMAC-SHA256(secret, service))>
# the same derivation as contracts' ServiceCredentials, which storage recomputes. Used by deploy/k8s/create-secrets.sh
# and deploy/compose/service-credentials.sh:
#   deploy/service-token.sh SERVICE < secret-file     (the secret on standard input, not in the shell's history)
set -eu

service="${1:?usage: deploy/service-token.sh SERVICE < secret}"
secret="$(cat)"
mac="$(printf '%s' "$service" \
    | openssl dgst -sha256 -mac HMAC -macopt "key:$secret" -binary \
    | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
printf '%s.%s\n' "$service" "$mac"
