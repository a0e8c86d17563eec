#!/usr/bin/env bash
# .ci/mta.sh — a private Postfix on loopback for certstat's end-to-end send tests.
#
#   bash .ci/mta.sh start    install Postfix if missing (apt-get), configure and start it;
#                            exits 0 once it greets on SMTP; writes the env file
#   bash .ci/mta.sh stop     stop it (by its pid file), wait until it is gone
#   bash .ci/mta.sh env      print the env file's path
#
# Needs root (apt-get, and Postfix's daemons drop privileges). No systemd: Postfix is started
# with `postfix -c DIR start` on its own configuration directory; /etc/postfix is not used.
#
# What the tests get (all on 127.0.0.1, nothing ever leaves the machine):
#   * any local part @example.test or @localhost is a mailbox; all of a domain's mail goes to
#     one Maildir, $CERTSTAT_TEST_MAILDIR_ROOT/<domain>/{new,cur,tmp}, each message with a
#     `Delivered-To: <recipient>` header first (tests pick theirs by a unique local part);
#   * a local part beginning with "unknown" (unknown1@example.test, …) is refused at RCPT
#     time with Postfix's own "550 5.1.1 … User unknown in virtual mailbox table";
#   * any other domain is refused at RCPT time (554 relay access denied): no relaying;
#   * any address @full.test is refused at RCPT time with "552 5.2.2 Mailbox full" (a soft
#     bounce), and a message whose body holds the line CERTSTAT-TEST-SPAM-MARKER is refused
#     at the end of DATA with "554 5.7.1 Message rejected: content looks like spam" (a
#     rejection aimed at the sender).
#
# The env file ($CERTSTAT_MTA_DIR/mta.env) exports:
#   CERTSTAT_TEST_SMTP_HOST, CERTSTAT_TEST_SMTP_PORT   where Postfix listens (no TLS, no AUTH)
#   CERTSTAT_TEST_MAILDIR_ROOT                          the root of the Maildirs
#   CERTSTAT_TEST_MAILDIR                               the Maildir of every @example.test address
#   CERTSTAT_TEST_MAIL_DOMAIN                           example.test
#   CERTSTAT_TEST_POSTFIX_CONFIG                        for `postqueue -c "$DIR" -p`
#
# Settings: CERTSTAT_MTA_DIR (state directory, default ${TMPDIR:-/tmp}/certstat-ci-mta),
# CERTSTAT_MTA_PORT (default 2625), CERTSTAT_MTA_INSTALL (1 = apt-get install when missing).

set -euo pipefail

DIR=${CERTSTAT_MTA_DIR:-${TMPDIR:-/tmp}/certstat-ci-mta}
PORT=${CERTSTAT_MTA_PORT:-2625}
PEER_PORT=${CERTSTAT_MTA_PEER_PORT:-2627}
HOST=127.0.0.1
INSTALL=${CERTSTAT_MTA_INSTALL:-1}
CONF=$DIR/etc
SPOOL=$DIR/spool
DATA=$DIR/data
MAIL=$DIR/mail
LOGS=$DIR/log
ENV_FILE=$DIR/mta.env
PIDFILE=$SPOOL/pid/master.pid

say() { echo "[mta.sh] $*" >&2; }
fail() { say "error: $*"; exit 1; }

master_pid() {  # the pid of our Postfix master, if it runs
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid=$(tr -dc 0-9 < "$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = master ] || return 1
  echo "$pid"
}

smtp_greets() {  # a 220 greeting on HOST:PORT
  local line=
  { exec 5<>"/dev/tcp/$HOST/$PORT"; } 2>/dev/null || return 1
  IFS= read -r -t 3 line <&5 || true
  printf 'QUIT\r\n' >&5 2>/dev/null || true
  exec 5<&- 5>&-
  [[ $line == 220* ]]
}

install_postfix() {
  [ -x /usr/sbin/postfix ] && return 0
  [ "$INSTALL" = 1 ] || fail "Postfix is not installed (and CERTSTAT_MTA_INSTALL=0)"
  say "installing postfix from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # Without systemd, invoke-rc.d asks policy-rc.d whether a package may start its daemon:
  # keep the system-wide Postfix stopped during the install.
  local policy_made=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_made=1
  fi
  mkdir -p "$LOGS"
  local rc=0
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || say "apt-get update failed; trying anyway"
  apt-get install -q -y --no-install-recommends -o DPkg::Lock::Timeout=300 postfix >>"$LOGS/apt.log" 2>&1 || rc=$?
  [ "$policy_made" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -n 20 "$LOGS/apt.log" >&2; fail "apt-get install postfix failed"; }
}

start() {
  [ "$(id -u)" = 0 ] || fail "run as root"
  install_postfix
  local vuid vgid
  vuid=$(id -u mail) vgid=$(id -g mail)
  mkdir -p "$CONF" "$SPOOL" "$DATA" "$MAIL" "$LOGS"
  chown root:root "$DIR" "$CONF" "$SPOOL"
  chmod 755 "$DIR" "$CONF" "$SPOOL" "$LOGS"
  chown postfix:postfix "$DATA"
  chmod 700 "$DATA"
  chown "$vuid:$vgid" "$MAIL"
  chmod 755 "$MAIL"
  local d
  for d in example.test localhost; do
    install -d -o "$vuid" -g "$vgid" -m 755 "$MAIL/$d" "$MAIL/$d/new" "$MAIL/$d/cur" "$MAIL/$d/tmp"
  done

  cat > "$CONF/main.cf" <<EOF
# written by certstat's .ci/mta.sh
compatibility_level = 3.6
queue_directory = $SPOOL
data_directory = $DATA
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.certstat.test
mydomain = certstat.test
myorigin = \$myhostname
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
default_transport = error:5.1.2 this test MTA delivers nothing off the machine
relay_transport = error:5.1.2 this test MTA delivers nothing off the machine
smtpd_banner = \$myhostname ESMTP certstat CI (Postfix)
# Only the virtual mailbox domains are accepted; the rest is "relay access denied".
smtpd_relay_restrictions = check_recipient_access texthash:$CONF/rcpt_replies, reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination, check_recipient_access texthash:$CONF/unlisted_domains
body_checks = regexp:$CONF/body_checks
# Unknown users (no match in virtual_mailbox_maps) are refused at RCPT: 550 5.1.1.
smtpd_reject_unlisted_recipient = no
unknown_virtual_mailbox_reject_code = 550
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 10000
smtpd_hard_error_limit = 10000
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
default_process_limit = 100
virtual_mailbox_domains = example.test, localhost
# Accepted, then bounced by Postfix itself (a DSN to the envelope sender): unknown users
# @localhost (virtual(8): 5.1.1 unknown user), and remote.test, relayed to a loopback peer
# that refuses with 550 5.1.1 (a DSN with Remote-MTA and the peer's reply). Unknown users
# @example.test are still refused at RCPT time.
relay_domains = remote.test, expired.test
transport_maps = texthash:$CONF/transport
# expired.test is deferred on every try (retry(8)), and a deferred message is tried once: it
# expires at once, a real "Action: failed" DSN with a 4.x.x status (the bounce tests' expiry).
maximal_queue_lifetime = 0
bounce_queue_lifetime = 0
smtpd_restriction_classes = unlisted
unlisted = reject_unlisted_recipient
virtual_mailbox_base = $MAIL
virtual_mailbox_maps = regexp:$CONF/mailboxes
virtual_uid_maps = static:$vuid
virtual_gid_maps = static:$vgid
virtual_minimum_uid = $vuid
virtual_destination_concurrency_limit = 20
virtual_destination_recipient_limit = 1
recipient_delimiter = +
message_size_limit = 52428800
virtual_mailbox_limit = 0
maillog_file = $LOGS/postfix.log
maillog_file_prefixes = $LOGS
syslog_name = certstat-ci-postfix
EOF

  # chroot off everywhere: the spool is not a prepared chroot.
  cat > "$CONF/master.cf" <<EOF
# written by certstat's .ci/mta.sh
$HOST:$PORT inet n - n - - smtpd
$HOST:$PEER_PORT inet n - n - - smtpd
  -o myhostname=peer.certstat.test
  -o smtpd_recipient_restrictions=check_recipient_access,texthash:$CONF/peer_access,reject
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
smtp       unix  - - n - - smtp
virtual    unix  - n n - - virtual
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF

  # Mailbox map: any local part is a mailbox, except those beginning with "unknown", which
  # match nothing and so are unknown users. Postfix allows no substitution in this map, so each
  # domain has one catch-all Maildir (the result ends in "/"); virtual(8) adds Delivered-To.
  cat > "$CONF/mailboxes" <<'EOF'
# written by certstat's .ci/mta.sh
if !/^unknown/
/@example\.test$/	example.test/
/@localhost$/	localhost/
endif
EOF

  printf 'remote.test\tsmtp:[%s]:%s\n.remote.test\tsmtp:[%s]:%s\nexpired.test\tretry:4.4.1 expired.test is not answering (test MTA)\n' \
    "$HOST" "$PEER_PORT" "$HOST" "$PEER_PORT" > "$CONF/transport"
  printf 'example.test\tunlisted\n' > "$CONF/unlisted_domains"
  # full.remote.test: the peer's mailboxes are full (552 5.2.2), a soft bounce beside the
  # unknown users in one multi-recipient DSN.
  printf 'remote.test\t550 5.1.1 User unknown\nfull.remote.test\t552 5.2.2 Mailbox full\n' > "$CONF/peer_access"
  printf 'full.test\t552 5.2.2 Mailbox full\n' > "$CONF/rcpt_replies"
  printf '/^CERTSTAT-TEST-SPAM-MARKER/\tREJECT 5.7.1 Message rejected: content looks like spam\n' > "$CONF/body_checks"

  postfix -c "$CONF" check 2>&1 | sed 's/^/[postfix check] /' >&2 || true
  if master_pid >/dev/null; then
    say "postfix already running: reloading"
    postfix -c "$CONF" reload </dev/null >/dev/null 2>&1 || fail "postfix reload failed (see $LOGS/postfix.log)"
  else
    ! smtp_greets || fail "$HOST:$PORT is already taken by another server (set CERTSTAT_MTA_PORT)"
    postfix -c "$CONF" start </dev/null >"$LOGS/start.log" 2>&1 \
      || { cat "$LOGS/start.log" >&2; fail "postfix start failed (see $LOGS/postfix.log)"; }
  fi
  local i
  for ((i = 0; i < 150; i++)); do
    smtp_greets && break
    sleep 0.2
  done
  smtp_greets || fail "Postfix does not answer on $HOST:$PORT (see $LOGS/postfix.log)"

  cat > "$ENV_FILE" <<EOF
# written by certstat's .ci/mta.sh; source it
export CERTSTAT_TEST_SMTP_HOST=$HOST
export CERTSTAT_TEST_SMTP_PORT=$PORT
export CERTSTAT_TEST_MAILDIR_ROOT=$MAIL
export CERTSTAT_TEST_MAILDIR=$MAIL/example.test
export CERTSTAT_TEST_MAIL_DOMAIN=example.test
export CERTSTAT_TEST_POSTFIX_CONFIG=$CONF
export CERTSTAT_TEST_BOUNCE_ADDRESS=bounces@localhost
export CERTSTAT_TEST_BOUNCE_MAILDIR=$MAIL/localhost
export CERTSTAT_TEST_UNKNOWN_USER=unknown@localhost
export CERTSTAT_TEST_REMOTE_DOMAIN=remote.test
export CERTSTAT_TEST_EXPIRED_DOMAIN=expired.test
export CERTSTAT_TEST_FULL_DOMAIN=full.remote.test
EOF
  say "Postfix answers on $HOST:$PORT; Maildirs under $MAIL; env file $ENV_FILE"
}

stop() {
  local pid i
  if ! pid=$(master_pid); then
    say "postfix not running"
    return 0
  fi
  postfix -c "$CONF" stop </dev/null >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || { say "postfix stopped"; return 0; }
    [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] && { say "postfix stopped"; return 0; }
    sleep 0.1
  done
  say "postfix master $pid did not stop within 20 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "$ENV_FILE" ;;
  *) echo "usage: bash .ci/mta.sh start|stop|env" >&2; exit 2 ;;
esac
