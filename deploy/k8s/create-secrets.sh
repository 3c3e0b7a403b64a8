#!/bin/sh
# Creates the Secret the manifests read (campanile-db) with random passwords, once. Nothing secret is committed: the
# values exist only in the cluster. Run it before the first `kubectl apply -k`, with the kube context you deploy to:
#   deploy/k8s/create-secrets.sh [namespace]        (default: campanile)
# Keys:
#   postgres-password   PostgreSQL superuser (the postgres StatefulSet only)
#   gateway-password    login of role `gateway`  (gateway: QUARKUS_DATASOURCE_PASSWORD; postgres init script)
#   storage-password    login of role `storage`  (storage: QUARKUS_DATASOURCE_PASSWORD; postgres init script)
# PostgreSQL reads the role passwords only when it initialises its volume: to rotate one later, ALTER ROLE in the
# database first, then update the Secret and restart the service.
set -eu

namespace="${1:-campanile}"
secret=campanile-db

if kubectl -n "$namespace" get secret "$secret" > /dev/null 2>&1; then
    echo "secret $namespace/$secret exists; leaving it as it is"
    exit 0
fi

random() {
    openssl rand -base64 32 | tr -d '/+=\n' | cut -c1-32
}

kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f - > /dev/null
kubectl -n "$namespace" create secret generic "$secret" \
    --from-literal=postgres-password="$(random)" \
    --from-literal=gateway-password="$(random)" \
    --from-literal=storage-password="$(random)"
