#!/bin/sh
# One-shot job (temporalio/admin-tools): creates or upgrades Temporal's two MySQL 8 databases.
# Safe to run on every `docker compose up`: `create` is CREATE DATABASE IF NOT EXISTS,
# `setup-schema -v 0.0` leaves a database that is already past 0.0 alone, and `update-schema`
# applies only the versions newer than the one recorded in schema_version (this is also how a
# newer admin-tools image upgrades the schema before a newer server starts).
#
# Environment: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (read by temporal-sql-tool itself),
# TEMPORAL_DBNAME, TEMPORAL_VISIBILITY_DBNAME.
set -eu

: "${SQL_HOST:=mysql}"
: "${SQL_PORT:=3306}"
: "${SQL_USER:=temporal}"
: "${TEMPORAL_DBNAME:=temporal}"
: "${TEMPORAL_VISIBILITY_DBNAME:=temporal_visibility}"
export SQL_PASSWORD="${SQL_PASSWORD:-}"

SCHEMA_ROOT=/etc/temporal/schema/mysql/v8

echo "waiting for MySQL at ${SQL_HOST}:${SQL_PORT}"
tries=0
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "MySQL did not answer at ${SQL_HOST}:${SQL_PORT}" >&2
    exit 1
  fi
  sleep 2
done

sql_tool() {
  temporal-sql-tool --plugin mysql8 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

setup_database() {
  db="$1"
  versioned="$2"
  echo "schema of ${db}: ${versioned}"
  sql_tool --db "$db" create
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$versioned"
}

setup_database "$TEMPORAL_DBNAME" "$SCHEMA_ROOT/temporal/versioned"
setup_database "$TEMPORAL_VISIBILITY_DBNAME" "$SCHEMA_ROOT/visibility/versioned"
echo "Temporal schema is up to date"
