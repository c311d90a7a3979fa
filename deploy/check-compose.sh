#!/bin/sh
# Validates docker-compose.yml with `docker-compose config` (the Compose file schema, the YAML
# anchors, env_file references) without a Docker engine: nothing is built or started.
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

# env_file points at .env, which a checkout does not have: validate with the example in its place,
# and remove it afterwards only if this script created it.
created_env=false
if [ ! -e .env ]; then
  cp .env.example .env
  created_env=true
fi
cleanup() {
  if [ "$created_env" = true ]; then rm -f .env; fi
}
trap cleanup EXIT INT TERM

rendered=$(compose -f docker-compose.yml config)

# The shape the README promises: Redis, two or more gateways on it, a load balancer on 8080.
fail() { echo "check-compose: $1" >&2; exit 1; }
printf '%s\n' "$rendered" | grep -q 'image: redis:7-alpine' || fail "no redis:7-alpine service"
gateways=$(printf '%s\n' "$rendered" | grep -c 'REDIS_URI: redis://redis:6379' || true)
[ "$gateways" -ge 2 ] || fail "expected two or more gateways on redis://redis:6379, found $gateways"
printf '%s\n' "$rendered" | grep -Eq 'published: "?8080"?|8080:8080' || fail "the load balancer does not publish 8080"

echo "check-compose: docker-compose.yml is valid ($gateways gateway instances)"
