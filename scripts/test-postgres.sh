#!/usr/bin/env bash
# A PostgreSQL server for the tests, on this machine (Debian's postgresql package): starts its cluster when it
# is down (creating one when there is none), gives the tests’ role a random password (made once per machine), and prints the
# address the tests use (TEST_DATABASE_URL). The role may create databases: each test shop gets its own,
# dropped after. It is a superuser of this throwaway cluster, for the tests that tamper with a database as
# its owner could (triggers off). Run as root (CI) or with sudo.
set -euo pipefail
as_postgres() { (cd / && if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi); }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "PostgreSQL n'est pas installé : apt-get install postgresql" >&2
  exit 1
fi
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  as_root pg_createcluster "$version" main >&2
  cluster=$(pg_lsclusters --no-header | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then as_root pg_ctlcluster "$version" "$name" start >&2; fi
for _ in $(seq 1 50); do
  as_postgres psql -p "$port" -qAtc 'select 1' >/dev/null 2>&1 && break
  sleep 0.2
done
# Made once per machine and kept beside the cluster (readable by root only): runs that overlap share it.
secret=/var/lib/postgresql/comptoir_test.password
if ! as_root test -s "$secret"; then
  head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | as_root tee "$secret" >/dev/null
  as_root chmod 600 "$secret"
fi
password=$(as_root cat "$secret")
as_postgres psql -p "$port" -qv ON_ERROR_STOP=1 >/dev/null <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'comptoir_test') then create role comptoir_test login superuser; end if;
end \$\$;
alter role comptoir_test with login superuser password '$password';
SQL
echo "postgres://comptoir_test:${password}@127.0.0.1:${port}/postgres"
