#!/usr/bin/env bash
# .ci/dovecot.sh — a private Dovecot on loopback serving the Postfix rig's bounce Maildir over
# plain IMAP, for certstat's `refresh --imap` end-to-end test.
#
#   bash .ci/dovecot.sh start   install dovecot-imapd if missing (apt-get), configure and start
#                               it; exits 0 once it greets with "* OK"; writes the env file
#   bash .ci/dovecot.sh stop    stop it (by its pid file) and wait until it is gone
#   bash .ci/dovecot.sh env     print the env file's path
#
# Needs root (apt-get; Dovecot's master starts as root and drops to the Maildir's owner).
# No systemd: `dovecot -c FILE` on its own configuration; /etc/dovecot is neither read nor
# changed, and the system-wide Dovecot is kept from starting during the install.
#
# Which Maildir: $CERTSTAT_DOVECOT_MAILDIR, else CERTSTAT_TEST_BOUNCE_MAILDIR, else
# $CERTSTAT_TEST_MAILDIR_ROOT/localhost (where bounces@localhost's mail lands), from the
# environment or from the Postfix rig's env file
# (${CERTSTAT_MTA_DIR:-${TMPDIR:-/tmp}/certstat-ci-mta}/mta.env, written by .ci/mta.sh start).
# Run it after `.ci/mta.sh start`. That Maildir is the INBOX of one IMAP user; Dovecot's
# index and control files are kept outside it, so Maildir readers see only new/, cur/, tmp/.
#
# The env file ($CERTSTAT_DOVECOT_DIR/dovecot.env) exports:
#   CERTSTAT_TEST_IMAP_HOST, CERTSTAT_TEST_IMAP_PORT   where Dovecot listens (plain IMAP)
#   CERTSTAT_TEST_IMAP_USER                            the login (bounces@localhost)
#   CERTSTAT_TEST_IMAP_PASSWORD                        its password
#   CERTSTAT_TEST_IMAP_URL                             imap://USER@HOST:PORT/INBOX (user
#                                                      percent-encoded; plain on loopback)
#   CERTSTAT_TEST_IMAP_MAILDIR                         the Maildir it serves
#
# Settings: CERTSTAT_DOVECOT_DIR (state, default ${TMPDIR:-/tmp}/certstat-ci-dovecot),
# CERTSTAT_DOVECOT_PORT (default 2643), CERTSTAT_DOVECOT_USER (default bounces@localhost),
# CERTSTAT_DOVECOT_PASSWORD (default certstat-test), CERTSTAT_DOVECOT_INSTALL (1 = apt-get).

set -euo pipefail

DIR=${CERTSTAT_DOVECOT_DIR:-${TMPDIR:-/tmp}/certstat-ci-dovecot}
HOST=127.0.0.1
PORT=${CERTSTAT_DOVECOT_PORT:-2643}
IMAP_USER=${CERTSTAT_DOVECOT_USER:-bounces@localhost}
PASSWORD=${CERTSTAT_DOVECOT_PASSWORD:-certstat-test}
INSTALL=${CERTSTAT_DOVECOT_INSTALL:-1}
MTA_ENV=${CERTSTAT_MTA_DIR:-${TMPDIR:-/tmp}/certstat-ci-mta}/mta.env
CONF=$DIR/dovecot.conf
RUN=$DIR/run
LOGS=$DIR/log
ENV_FILE=$DIR/dovecot.env
PIDFILE=$RUN/master.pid

say() { echo "[dovecot.sh] $*" >&2; }
fail() { say "error: $*"; exit 1; }

master_pid() {  # the pid of our Dovecot master, if it runs
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid=$(tr -dc 0-9 < "$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dovecot ] || return 1
  echo "$pid"
}

imap_greets() {  # "* OK" on HOST:PORT
  local line=
  { exec 6<>"/dev/tcp/$HOST/$PORT"; } 2>/dev/null || return 1
  IFS= read -r -t 3 line <&6 || true
  printf 'z LOGOUT\r\n' >&6 2>/dev/null || true
  exec 6<&- 6>&-
  [[ $line == "* OK"* ]]
}

install_dovecot() {
  [ -x /usr/sbin/dovecot ] && [ -e /usr/lib/dovecot/imap ] && return 0
  [ "$INSTALL" = 1 ] || fail "Dovecot is not installed (and CERTSTAT_DOVECOT_INSTALL=0)"
  say "installing dovecot-imapd from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  # Without systemd, invoke-rc.d asks policy-rc.d whether a package may start its daemon:
  # keep the system-wide Dovecot stopped during the install.
  local policy_made=0 rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_made=1
  fi
  mkdir -p "$LOGS"
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || say "apt-get update failed; trying anyway"
  apt-get install -q -y --no-install-recommends -o DPkg::Lock::Timeout=300 \
    dovecot-core dovecot-imapd >>"$LOGS/apt.log" 2>&1 || rc=$?
  [ "$policy_made" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -n 20 "$LOGS/apt.log" >&2; fail "apt-get install dovecot-imapd failed"; }
}

which_maildir() {
  local md=${CERTSTAT_DOVECOT_MAILDIR:-${CERTSTAT_TEST_BOUNCE_MAILDIR:-}}
  if [ -z "$md" ] && [ -f "$MTA_ENV" ]; then
    md=$(
      # shellcheck disable=SC1090
      . "$MTA_ENV"
      if [ -n "${CERTSTAT_TEST_BOUNCE_MAILDIR:-}" ]; then echo "$CERTSTAT_TEST_BOUNCE_MAILDIR"
      elif [ -n "${CERTSTAT_TEST_MAILDIR_ROOT:-}" ]; then echo "$CERTSTAT_TEST_MAILDIR_ROOT/localhost"
      fi
    )
  fi
  [ -n "$md" ] || { [ -n "${CERTSTAT_TEST_MAILDIR_ROOT:-}" ] && md=$CERTSTAT_TEST_MAILDIR_ROOT/localhost; } || true
  [ -n "$md" ] || fail "which Maildir? start .ci/mta.sh first (it writes $MTA_ENV) or set CERTSTAT_DOVECOT_MAILDIR"
  [ -d "$md/new" ] && [ -d "$md/cur" ] || fail "$md is not a Maildir (no new/ and cur/)"
  echo "$md"
}

start() {
  [ "$(id -u)" = 0 ] || fail "run as root"
  install_dovecot
  local md owner group
  md=$(which_maildir)
  # Dovecot works as the Maildir's owner (Postfix's virtual delivery user).
  owner=$(stat -c %u "$md") group=$(stat -c %g "$md")
  [ "$owner" != 0 ] || fail "$md belongs to root; Dovecot will not serve mail as root"
  mkdir -p "$DIR" "$RUN" "$LOGS" "$DIR/state"
  chmod 755 "$DIR" "$RUN" "$LOGS"
  install -d -o "$owner" -g "$group" -m 700 "$DIR/index" "$DIR/control" "$DIR/home"
  printf '%s:{PLAIN}%s\n' "$IMAP_USER" "$PASSWORD" > "$DIR/users"
  chown root:dovecot "$DIR/users" 2>/dev/null || true
  chmod 640 "$DIR/users"

  cat > "$CONF" <<EOF
# written by certstat's .ci/dovecot.sh; nothing from /etc/dovecot is included
protocols = imap
listen = $HOST
base_dir = $RUN
state_dir = $DIR/state
instance_name = certstat-ci-dovecot
log_path = $LOGS/dovecot.log
ssl = no
# Plain-text login without TLS: loopback only, test password.
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$md:INDEX=$DIR/index:CONTROL=$DIR/control:LAYOUT=fs
first_valid_uid = $owner
last_valid_uid = $owner
first_valid_gid = $group
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/users
}
userdb {
  driver = static
  args = uid=$owner gid=$group home=$DIR/home
}
service imap-login {
  inet_listener imap {
    address = $HOST
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
EOF
  doveconf -c "$CONF" -n >/dev/null 2>"$LOGS/doveconf.err" \
    || { cat "$LOGS/doveconf.err" >&2; fail "the generated Dovecot configuration is invalid"; }
  if master_pid >/dev/null; then
    say "dovecot already running: reloading"
    doveadm -c "$CONF" reload </dev/null >/dev/null 2>&1 || fail "dovecot reload failed (see $LOGS/dovecot.log)"
  else
    ! imap_greets || fail "$HOST:$PORT is already taken by another server (set CERTSTAT_DOVECOT_PORT)"
    # The daemons must not hold a caller's stdout/stderr open.
    dovecot -c "$CONF" </dev/null >"$LOGS/start.log" 2>&1 \
      || { cat "$LOGS/start.log" >&2; tail -n 20 "$LOGS/dovecot.log" >&2 || true; fail "dovecot start failed"; }
  fi
  local i
  for ((i = 0; i < 150; i++)); do
    imap_greets && break
    sleep 0.2
  done
  imap_greets || fail "Dovecot does not answer on $HOST:$PORT (see $LOGS/dovecot.log)"

  local enc_user=${IMAP_USER//@/%40}
  cat > "$ENV_FILE" <<EOF
# written by certstat's .ci/dovecot.sh; source it
export CERTSTAT_TEST_IMAP_HOST=$HOST
export CERTSTAT_TEST_IMAP_PORT=$PORT
export CERTSTAT_TEST_IMAP_USER=$IMAP_USER
export CERTSTAT_TEST_IMAP_PASSWORD=$PASSWORD
export CERTSTAT_TEST_IMAP_URL=imap://$enc_user@$HOST:$PORT/INBOX
export CERTSTAT_TEST_IMAP_MAILDIR=$md
EOF
  say "Dovecot answers on $HOST:$PORT, serving $md as $IMAP_USER; env file $ENV_FILE"
}

stop() {
  local pid i
  if ! pid=$(master_pid); then
    say "dovecot not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || { say "dovecot stopped"; return 0; }
    [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] && { say "dovecot stopped"; return 0; }
    sleep 0.1
  done
  say "dovecot master $pid did not stop within 20 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "$ENV_FILE" ;;
  *) echo "usage: bash .ci/dovecot.sh start|stop|env" >&2; exit 2 ;;
esac
