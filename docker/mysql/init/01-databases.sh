#!/bin/sh
# Runs once, when the mysql container initialises an empty data directory
# (/docker-entrypoint-initdb.d). Later changes to these variables do not alter existing users:
# change the passwords with ALTER USER, or start over with `docker compose down -v`.
#
#   shop database  ${SHOP_DB_NAME}        user ${SHOP_DB_USER} / ${SHOP_DB_PASSWORD}
#   Temporal       temporal, temporal_visibility   user ${TEMPORAL_DB_USER} / ${TEMPORAL_DB_PASSWORD}
#
# The temporal-schema job creates Temporal's tables with the Temporal user, so that user only
# gets rights on its own two databases. Passwords must not contain a single quote.
set -eu

: "${SHOP_DB_NAME:=mcsync}"
: "${SHOP_DB_USER:=mcsync}"
: "${SHOP_DB_PASSWORD:=mcsync}"
: "${TEMPORAL_DB_USER:=temporal}"
: "${TEMPORAL_DB_PASSWORD:=temporal}"

# The entrypoint's temporary server listens on the socket only, and root's password is set by now.
# The password goes through a private option file rather than the command line.
umask 077
defaults=$(mktemp)
trap 'rm -f "$defaults"' EXIT
printf '[client]\nuser=root\npassword="%s"\n' "${MYSQL_ROOT_PASSWORD}" >"$defaults"

mysql --defaults-extra-file="$defaults" --protocol=socket <<SQL
CREATE DATABASE IF NOT EXISTS \`${SHOP_DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
CREATE USER IF NOT EXISTS '${SHOP_DB_USER}'@'%' IDENTIFIED BY '${SHOP_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`${SHOP_DB_NAME}\`.* TO '${SHOP_DB_USER}'@'%';

CREATE DATABASE IF NOT EXISTS temporal CHARACTER SET utf8mb4;
CREATE DATABASE IF NOT EXISTS temporal_visibility CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '${TEMPORAL_DB_USER}'@'%' IDENTIFIED BY '${TEMPORAL_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON temporal.* TO '${TEMPORAL_DB_USER}'@'%';
GRANT ALL PRIVILEGES ON temporal_visibility.* TO '${TEMPORAL_DB_USER}'@'%';
FLUSH PRIVILEGES;
SQL

echo "01-databases.sh: created ${SHOP_DB_NAME} (user ${SHOP_DB_USER}) and temporal, temporal_visibility (user ${TEMPORAL_DB_USER})"
