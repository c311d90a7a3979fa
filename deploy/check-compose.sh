#!/bin/sh
# Validates docker-compose.yml with `docker-compose config` (the Compose file schema, the YAML
# anchors, the variables) without a Docker engine: nothing is built or started.
# Needs docker-compose (v1, e.g. Debian's docker-compose package) or the `docker compose` plugin.
set -eu

cd "$(dirname "$0")/.."

if command -v docker-compose >/dev/null 2>&1; then
  compose() { docker-compose "$@"; }
elif docker compose version >/dev/null 2>&1; then
  compose() { docker compose "$@"; }
else
  echo "check-compose: neither docker-compose nor the docker compose plugin is installed" >&2
  exit 1
fi

# A fresh clone has no .env: without JWT_SECRET compose must stop with a line naming the step.
# (Run where no .env supplies it, so that a developer's own .env does not hide the check.)
if [ ! -e .env ] && [ -z "${JWT_SECRET:-}" ]; then
  if message=$(compose -f docker-compose.yml config 2>&1 > /dev/null); then
    echo "check-compose: docker-compose.yml renders without JWT_SECRET" >&2
    exit 1
  fi
  printf '%s\n' "$message" | grep -q 'JWT_SECRET is not set - first write a line JWT_SECRET=' \
    || { echo "check-compose: without JWT_SECRET compose said: $message" >&2; exit 1; }
fi

# Any value renders; the gateway itself refuses the example one from .env.example.
export JWT_SECRET=${JWT_SECRET:-check-compose-placeholder-check-compose-placeholder}
rendered=$(compose -f docker-compose.yml config)

# The shape the README promises: Redis, two or more gateways on it, a load balancer on 8080.
fail() { echo "check-compose: $1" >&2; exit 1; }
printf '%s\n' "$rendered" | grep -q 'image: redis:7-alpine' || fail "no redis:7-alpine service"
gateways=$(printf '%s\n' "$rendered" | grep -c 'REDIS_URI: redis://redis:6379' || true)
[ "$gateways" -ge 2 ] || fail "expected two or more gateways on redis://redis:6379, found $gateways"
printf '%s\n' "$rendered" | grep -Eq 'published: "?8080"?|8080:8080' || fail "the load balancer does not publish 8080"

echo "check-compose: docker-compose.yml is valid ($gateways gateway instances)"
