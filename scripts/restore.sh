#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: `DATABASE_URL=… scripts/restore.sh FILE` replaces what the database
# holds with the dump, all or nothing (one transaction: a failure leaves the database as it was), then applies the
# migrations that are newer than the dump (`svar migrate up`; nothing when the dump is current). Stop the Svar
# servers first: respondents' saves during a restore would be lost with the rest of the database's current state.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/postgres-tools.sh
source "$here/postgres-tools.sh"

file="${1:-}"
[[ -n "$file" ]] || fail "usage: DATABASE_URL=postgres://… scripts/restore.sh FILE"
[[ -f "$file" ]] || fail "no backup at $file"
[[ -n "${DATABASE_URL:-}" ]] || fail "DATABASE_URL is not set: say which PostgreSQL database to restore into"
pg_restore="$(postgres_tool pg_restore)"
"$pg_restore" --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$file" || fail "pg_restore failed: the database is as it was before"
node "$here/../bin/svar.js" migrate up
echo "restored: $file"
