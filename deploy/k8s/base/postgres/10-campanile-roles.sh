#!/bin/sh
# Runs once, when the PostgreSQL image initialises an empty data directory (/docker-entrypoint-initdb.d).
# Creates one login role per service that owns one schema of the `campanile` database, so that the gateway cannot
# touch storage's tables and the reverse; each service's Flyway migrates its own schema. The passwords come from the
# container's environment (docker-compose.yml: .env; Kubernetes: the campanile-db Secret), never from this file.
# Used by docker-compose.yml and deploy/k8s/base (ConfigMap postgres-initdb).
set -eu

: "${GATEWAY_DB_PASSWORD:?GATEWAY_DB_PASSWORD is not set}"
: "${STORAGE_DB_PASSWORD:?STORAGE_DB_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v gateway_password="$GATEWAY_DB_PASSWORD" \
    -v storage_password="$STORAGE_DB_PASSWORD" \
    -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE gateway LOGIN PASSWORD :'gateway_password';
CREATE ROLE storage LOGIN PASSWORD :'storage_password';
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION gateway;
CREATE SCHEMA IF NOT EXISTS storage AUTHORIZATION storage;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO gateway, storage;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
