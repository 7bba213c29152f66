#!/bin/sh
# One-shot job (temporalio/admin-tools), after the server is up: waits until the cluster is
# healthy, registers the namespace if it is missing, and adds the custom search attributes the
# sync's workflows set (Keyword: EntityType, EntityId, StoreId). Every step checks first, so the
# job can run on every `docker compose up`.
#
# Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE_RETENTION,
# SEARCH_ATTRIBUTES (space-separated names, all of type Keyword).
set -eu

: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
: "${TEMPORAL_NAMESPACE_RETENTION:=72h}"
: "${SEARCH_ATTRIBUTES:=EntityType EntityId StoreId}"

# Retries a command for about two minutes.
retry() {
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 40 ]; then
      echo "gave up: $*" >&2
      return 1
    fi
    sleep 3
  done
}

echo "waiting for the Temporal cluster at ${TEMPORAL_ADDRESS}"
retry temporal operator cluster health --address "$TEMPORAL_ADDRESS"

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "namespace ${TEMPORAL_NAMESPACE} exists"
else
  echo "creating namespace ${TEMPORAL_NAMESPACE} (retention ${TEMPORAL_NAMESPACE_RETENTION})"
  # Tolerates a concurrent creation: success is judged by describe afterwards.
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" \
    --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_NAMESPACE_RETENTION" || true
  retry temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null
fi

has_search_attribute() {
  temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" \
    | grep -qw "$1"
}

# A new namespace can take a few seconds to reach every service's cache, hence the retries.
add_search_attribute() {
  has_search_attribute "$1" && return 0
  temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" \
    --name "$1" --type Keyword || has_search_attribute "$1"
}

for name in $SEARCH_ATTRIBUTES; do
  retry add_search_attribute "$name"
  echo "search attribute ${name} (Keyword) is registered"
done

echo "Temporal namespace ${TEMPORAL_NAMESPACE} is ready"
