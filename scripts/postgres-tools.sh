# Shared by backup.sh and restore.sh: one-line failures, and PostgreSQL's client tools found on the PATH or in
# Debian's versioned folders (the newest version there: pg_dump must not be older than the server).
fail() {
  echo "$1" >&2
  exit 1
}

postgres_tool() {
  local name="$1" found
  found="$(command -v "$name" 2>/dev/null || true)"
  if [[ -z "$found" ]]; then
    found="$(ls -1d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -1 || true)"
  fi
  [[ -n "$found" ]] || fail "$name not found: install PostgreSQL's client tools (npm run setup:system)"
  echo "$found"
}
