#!/bin/sh
# Fills in the service credentials of docker-compose.yml in an env file (default .env; docs/adr/0017): a random
# SERVICE_SECRET for storage, kept when the file already has one, and each service's token derived from it
# (GATEWAY_SERVICE_TOKEN, ...), and the first admin API key BOOTSTRAP_ADMIN_KEY (kept too). Compose gives storage the
# secret and every other service only its own token; the gateway also gets the admin key.
#   cp .env.example .env && deploy/compose/service-credentials.sh [.env]
# To rotate: empty SERVICE_SECRET in the file, run this again, then `docker compose up -d` (every service restarts).
set -eu

env_file="${1:-.env}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$env_file" ] || { echo "no $env_file: cp .env.example $env_file first" >&2; exit 1; }

secret="$(sed -n 's/^SERVICE_SECRET=//p' "$env_file" | tail -n 1)"
if [ -z "$secret" ]; then
    secret="$(openssl rand 32 | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
fi

# Sets NAME=value in the env file, in place of an existing line (rewritten through a copy: sed -i differs by system).
set_var() {
    tmp="$(mktemp)"
    if grep -q "^$1=" "$env_file"; then
        sed "s|^$1=.*|$1=$2|" "$env_file" > "$tmp"
    else
        cat "$env_file" > "$tmp"
        printf '%s=%s\n' "$1" "$2" >> "$tmp"
    fi
    cat "$tmp" > "$env_file"
    rm -f "$tmp"
}

set_var SERVICE_SECRET "$secret"
for pair in gateway:GATEWAY text-encoder:TEXT_ENCODER stage1-worker:STAGE1 stage2-worker:STAGE2 trainer:TRAINER; do
    service="${pair%%:*}"
    set_var "${pair#*:}_SERVICE_TOKEN" "$(printf '%s' "$secret" | "$here/../service-token.sh" "$service")"
done
# The first admin API key (docs/adr/0015), kept when the file already has one: the gateway stores only its hash.
admin_key="$(sed -n 's/^BOOTSTRAP_ADMIN_KEY=//p' "$env_file" | tail -n 1)"
if [ -z "$admin_key" ]; then
    set_var BOOTSTRAP_ADMIN_KEY "cmp_$(openssl rand 32 | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
fi
chmod 600 "$env_file"
echo "service credentials written to $env_file"
