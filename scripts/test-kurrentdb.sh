#!/usr/bin/env bash
# npm run test:kurrentdb — the event-store contract and crash suites against a real KurrentDB.
#
# Starts the compose `kurrentdb` service (profile `kurrentdb`) under its own compose project, waits until it
# is healthy, runs the suites with KURRENTDB_URL set, and removes the service and its volumes on exit,
# whatever happened. Needs Docker with Compose v2.23.1+ and a running engine; port 127.0.0.1:2113 free.
# Extra arguments go to jest (e.g. `npm run test:kurrentdb -- --verbose`).
set -euo pipefail

# No external program before the Docker checks: the script must fail cleanly on a bare PATH.
ROOT="${BASH_SOURCE[0]%/*}/.."
cd "$ROOT"

fail() {
  printf '%s\n' "$1" >&2
  exit 1
}

command -v docker >/dev/null 2>&1 ||
  fail "no Docker engine: the docker command is not on PATH (KurrentDB runs from docker-compose.yml; install Docker to run these suites)"
docker info >/dev/null 2>&1 ||
  fail "no Docker engine: 'docker info' cannot reach a Docker daemon (start it, or point DOCKER_HOST at one)"
docker compose version >/dev/null 2>&1 ||
  fail "no Docker Compose: 'docker compose version' failed (Compose v2.23.1 or newer is needed)"

# A project of its own, so the developer's `accord` stack and its volumes are never touched. The compose
# file requires PLATFORM_SECRET to interpolate; only KurrentDB starts here, so a throwaway value does.
PROJECT="${ACCORD_KURRENTDB_TEST_PROJECT:-accord-test-kurrentdb}"
export PLATFORM_SECRET="${PLATFORM_SECRET:-test-kurrentdb-throwaway-secret-not-used-by-any-service}"
compose() { docker compose --project-name "$PROJECT" --profile kurrentdb "$@"; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  echo "test:kurrentdb: stopping KurrentDB (project $PROJECT)" >&2
  compose down --volumes --remove-orphans >/dev/null 2>&1 ||
    echo "test:kurrentdb: 'docker compose down' failed; remove the project by hand: docker compose -p $PROJECT down -v" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "test:kurrentdb: starting KurrentDB (project $PROJECT) and waiting for its healthcheck" >&2
compose up --detach --wait --wait-timeout "${KURRENTDB_WAIT_SECONDS:-180}" kurrentdb

export KURRENTDB_URL="kurrentdb://127.0.0.1:2113?tls=false"
# The contract suite (and the adapter's own server tests) and the kill -9 crash suite (its kurrentdb case runs
# when KURRENTDB_URL is set). Not the tamper suite: its cases edit, delete and swap stored events by SQL on a
# copy of the store per case, and KurrentDB's log is neither SQL nor editable nor copyable per case
# (docs/operations.md, "KurrentDB, one command away").
npx jest --ci --runInBand \
  libs/event-store/src/adapters/kurrentdb/ \
  test/crash/ \
  "$@"
