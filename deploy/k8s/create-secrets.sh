#!/bin/sh
# Creates the Secrets the manifests read, with random values, once each. Nothing secret is committed: the values
# exist only in the cluster. Run it before the first `kubectl apply -k`, with the kube context you deploy to:
#   deploy/k8s/create-secrets.sh [namespace]        (default: campanile)
# Secret campanile-db:
#   postgres-password   PostgreSQL superuser (the postgres StatefulSet only)
#   gateway-password    login of role `gateway`  (gateway: QUARKUS_DATASOURCE_PASSWORD; postgres init script)
#   storage-password    login of role `storage`  (storage: QUARKUS_DATASOURCE_PASSWORD; postgres init script)
# PostgreSQL reads the role passwords only when it initialises its volume: to rotate one later, ALTER ROLE in the
# database first, then update the Secret and restart the service.
# Secret campanile-services (docs/adr/0017): storage's service secret and each service's token derived from it,
# <service>.<base64url(HMAC-SHA256(secret, service))> (deploy/service-token.sh). Storage reads only service-secret,
# every other Deployment only its own <service>-token. To rotate: delete this Secret, run the script again and
# restart every Deployment.
# Secret campanile-admin (docs/adr/0015): bootstrap-admin-key, the first admin API key (cmp_ + 43 base64url
# characters); the gateway makes sure a key with its hash exists. Read it with
#   kubectl -n campanile get secret campanile-admin -o jsonpath='{.data.bootstrap-admin-key}' | base64 -d
# and create the other keys with it (./campanile keys create ... --gateway URL).
set -eu

namespace="${1:-campanile}"
here="$(cd "$(dirname "$0")" && pwd)"

random() {
    openssl rand -base64 32 | tr -d '/+=\n' | cut -c1-32
}

exists() {
    if kubectl -n "$namespace" get secret "$1" > /dev/null 2>&1; then
        echo "secret $namespace/$1 exists; leaving it as it is"
        return 0
    fi
    return 1
}

token() {
    printf '%s' "$service_secret" | "$here/../service-token.sh" "$1"
}

kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f - > /dev/null

if ! exists campanile-db; then
    kubectl -n "$namespace" create secret generic campanile-db \
        --from-literal=postgres-password="$(random)" \
        --from-literal=gateway-password="$(random)" \
        --from-literal=storage-password="$(random)"
fi

if ! exists campanile-services; then
    service_secret="$(openssl rand 32 | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
    kubectl -n "$namespace" create secret generic campanile-services \
        --from-literal=service-secret="$service_secret" \
        --from-literal=gateway-token="$(token gateway)" \
        --from-literal=text-encoder-token="$(token text-encoder)" \
        --from-literal=stage1-worker-token="$(token stage1-worker)" \
        --from-literal=stage2-worker-token="$(token stage2-worker)" \
        --from-literal=trainer-token="$(token trainer)"
fi

if ! exists campanile-admin; then
    kubectl -n "$namespace" create secret generic campanile-admin \
        --from-literal=bootstrap-admin-key="cmp_$(openssl rand 32 | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
fi
