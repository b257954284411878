#!/usr/bin/env bash
# A backup of Svar's PostgreSQL database: `DATABASE_URL=… scripts/backup.sh FILE` writes a pg_dump in its custom
# format (compressed, restorable table by table) to FILE. Restore with scripts/restore.sh. Contact data is in the
# dump until `svar wave purge-contacts` runs: keep dumps no longer than the wave's contacts may be kept.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/postgres-tools.sh
source "$here/postgres-tools.sh"

file="${1:-}"
[[ -n "$file" ]] || fail "usage: DATABASE_URL=postgres://… scripts/backup.sh FILE"
[[ -n "${DATABASE_URL:-}" ]] || fail "DATABASE_URL is not set: say which PostgreSQL database to back up"
pg_dump="$(postgres_tool pg_dump)"
"$pg_dump" --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL" ||
  fail "pg_dump failed: nothing was written to $file"
mv "$file.partial" "$file"
echo "backup written: $file ($(du -h "$file" | cut -f1))"
