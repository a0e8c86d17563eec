//! Deciding a sisimai-style reason from what a bounce says about one
//! recipient: the diagnostic text, the enhanced status code, the SMTP reply
//! code and the DSN action.
//!
//! The phrase tables below are our own lists of wordings seen in real
//! bounces; the reason names follow sisimai's vocabulary.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Action, Reason};

/// What we know about one recipient when choosing its reason.
#[derive(Debug, Clone, Default)]
pub struct Evidence<'a> {
    pub diagnostic: &'a str,
    pub status: Option<&'a str>,
    pub reply_code: Option<&'a str>,
    /// The DSN action (or our inference for non-standard bounces).
    pub action: Option<Action>,
    /// SMTP command the error was a reply to, when the bounce says so.
    pub command: Option<&'a str>,
}

// ------------------------------------------------------------- phrase tables
//
// Declared in the order `RULES` consults them first.

/// A phrase table: rows of a reason and its wordings, consulted in order.
type Rows = &'static [(Reason, &'static [&'static str])];

/// Wordings so specific that they decide the reason before the SMTP command and most status
/// codes are looked at (first row with a phrase in the text wins).
const DECISIVE: &[(Reason, &[&str])] = &[
    (
        Reason::MailerError,
        &[
            "procmail",
            "x-unix",
            "unknown mailer",
            "mailer error",
            "command died",
            "exit code",
            "pipe to |",
        ],
    ),
    // Rate limits on our sending: about the sender, and decided before any spam or block
    // wording in the same reply ("an unusual rate of unsolicited mail … rate limited").
    (
        Reason::TooManyConn,
        &[
            "connection rate limit",
            "frequency limited",
            "too many connections",
            "too many simultaneous",
            "too many concurrent",
        ],
    ),
    (
        Reason::Speeding,
        &[
            "too many recipients this hour",
            "try again slower",
            "rate limited",
            "rate-limited",
            "ratelimited",
            "rate limit exceeded",
            "unusual rate",
            "sending rate",
            "receiving mail at a rate",
        ],
    ),
    (
        Reason::PolicyViolation,
        &[
            "policy reasons",
            "header error",
            "content presents a potential",
            "violates our policy",
            "violation of policy",
            "local policy",
            "host network not allowed",
        ],
    ),
    (
        Reason::SpamDetected,
        &[
            "spam classification",
            "classified as spam",
            "detected as spam",
            "- spam",
            "rejected as spam",
            "considered spam",
            "considered as spam",
            "identified as spam",
            "looks like spam",
            "likely spam",
            "blocked as spam",
            "spam detected",
            "likely unsolicited",
            "unsolicited mail",
            "unsolicited message",
            "unsolicited bulk",
        ],
    ),
    (
        Reason::Rejected,
        &[
            "domain of sender address",
            "sender address rejected",
            "sender rejected",
            "sender verify failed",
            "purported responsible address",
            "send mail as",
            "sender domain must exist",
            "unroutable sender",
        ],
    ),
    (
        Reason::Filtered,
        &[
            "recipient preferences",
            "only accepting mail from",
            "refuse to receive",
            "refuses to receive",
            "blocked by the recipient",
            "message filtered",
            "user reject",
            "has restricted",
            "rejected by the domain filter",
            "recipient has blocked",
        ],
    ),
    (
        Reason::NotAccept,
        &[
            "doesn't receive email",
            "does not receive email",
            "no mx found",
            "no mx record",
            "couldn't find a mail exchanger",
            "could not find a mail exchanger",
            "type=mx: malformed",
            "null mx",
            "does not accept mail",
            "domain does not accept",
        ],
    ),
    (
        Reason::NetworkError,
        &[
            "dns error",
            "dns type 'mx' lookup",
            "network error",
            "no route to host",
        ],
    ),
    (Reason::SystemError, &["service currently unavailable"]),
    // Our HELO/EHLO name refused: about the sending host, whatever command it answered (Postfix
    // delays the refusal to RCPT TO) and whatever the name lookup said.
    (
        Reason::Blocked,
        &[
            "helo command rejected",
            "ehlo command rejected",
            "invalid helo",
            "invalid ehlo",
            "bad helo",
            "helo/ehlo",
            "helo name",
            "ehlo name",
            "helo hostname",
            "helo greeting",
            "helo host",
        ],
    ),
    (
        Reason::BadReputation,
        &[
            "unexpected volume or user complaints",
            "[tss04]",
            "poor reputation",
            "bad reputation",
        ],
    ),
    (
        Reason::RequirePtr,
        &[
            "mismatches client ip",
            "reverse dns",
            "no ptr",
            "ptr record",
        ],
    ),
    (
        Reason::SecurityError,
        &[
            "smtp authentication",
            "starttls",
            "tls required",
            "unauthenticated senders",
        ],
    ),
    (Reason::SyntaxError, &["malformed address", "syntax error"]),
    (Reason::MesgTooBig, &["line limit exceeded"]),
    (Reason::HostUnknown, &["domain is not reachable"]),
    (Reason::MailboxFull, &["mailbox exceeds allowed size"]),
    (
        Reason::UserUnknown,
        &[
            "invalid final delivery userid",
            "check if address is correct",
        ],
    ),
];

/// Wordings that outrank user-unknown wording and a lasting status code (first row wins).
const OUTRANK_USER_UNKNOWN: &[(Reason, &[&str])] = &[
    (
        Reason::MailboxFull,
        &[
            "mailbox full",
            "mailbox is full",
            "mailbox_full",
            "mailboxfull",
            "mail box full",
            "mailbox has exceeded",
            "mailbox exceeded",
            "mailbox size limit",
            "mailbox is over",
            "over quota",
            "overquota",
            "quota exceeded",
            "exceeded quota",
            "quota exceed",
            "exceeds quota",
            "quota full",
            "out of quota",
            "over its quota",
            "over the quota",
            "over the storage",
            "exceeded storage allocation",
            "exceeded its storage",
            "exceeded the storage",
            "disk quota",
            "user is over",
            "user over quota",
            "mailfolder is full",
            "mail folder is full",
            "would exceed mailbox",
            "not enough storage space",
            "insufficient disk space",
            "inbox is full",
            "storage quota",
            "no space left on device",
            "exceeds size of mailbox",
            "account is full",
            "exceeded mailbox",
            "maildir over quota",
            "the user's mailbox",
            "full mailbox",
            "is full",
            "ящик переполнен",
            "ящик пользователя переполнен",
            "превышен лимит почтового ящика",
        ],
    ),
    (
        Reason::MesgTooBig,
        &[
            "message too large",
            "message too big",
            "message is too large",
            "message is too big",
            "message size exceeds",
            "message exceeds size",
            "size exceeds the maximum",
            "exceeds maximum message size",
            "exceeds the maximum message size",
            "message size limit",
            "exceeded the size limit",
            "exceeds size limit",
            "mail size limit",
            "message length exceeds",
            "size of the message exceeds",
            "message larger than",
            "message too long",
            "file too large",
            "message exceeds the",
            "exceeds fixed maximum message size",
        ],
    ),
    (
        Reason::ExceedLimit,
        &[
            "message header size exceeds limit",
            "exceeds limit",
            "message too many",
        ],
    ),
    (
        Reason::HasMoved,
        &[
            "has moved to",
            "address has moved",
            "user has moved",
            "mailbox has moved",
            "moved permanently",
        ],
    ),
    (
        Reason::Suspend,
        &[
            "mailbox disabled",
            "mailbox is disabled",
            "account disabled",
            "account is disabled",
            "account has been disabled",
            "disabled mailbox",
            "mailbox is inactive",
            "mailbox inactive",
            "inactive mailbox",
            "account is inactive",
            "account inactive",
            "inactive account",
            "account has been suspended",
            "account suspended",
            "is suspended",
            "has been suspended",
            "mailbox suspended",
            "temporarily disabled",
            "this account has been blocked",
            "account is not active",
            "mailbox is frozen",
            "is not active",
            "account expired",
            "account is locked",
            "recipient suspended",
            "currently suspended",
            "has been disabled",
            "unavailable or inactive",
            "account is deactivated",
            "account has been deactivated",
            "account deactivated",
            "mailbox deactivated",
            "mailbox has been deactivated",
            "account has been closed",
            "account is closed",
            "account closed",
            "that you tried to reach is disabled",
        ],
    ),
    (
        Reason::NoRelaying,
        &[
            "relay access denied",
            "relaying denied",
            "relaying not allowed",
            "relay not permitted",
            "not permitted to relay",
            "unable to relay",
            "we do not relay",
            "no relaying",
            "relaying to <",
            "relay denied",
            "relay not allowed",
            "not allowed to relay",
            "relaying prohibited",
            "not configured to relay",
            "does not relay",
        ],
    ),
    (
        Reason::AuthFailure,
        &[
            "dmarc",
            "spf check",
            "spf fail",
            "spf record",
            "spf validation",
            "spf policy",
            "sender policy framework",
            "spf)",
            " spf ",
            "dkim",
            "unauthenticated email",
            "not authenticated",
            "failed authentication",
            "authentication checks",
        ],
    ),
];

/// User-unknown wordings that decide regardless of the SMTP command.
const USER_UNKNOWN_ALWAYS: &[&str] = &[
    "no mail box available",
    "recipient address rejected: user unknown",
    "address you entered couldn't be found",
    "delivery error: dd",
    "recipientnotfound",
    "no such user here",
    "invalid recipient",
    "and other recipients in the same domain",
    "recipient address rejected: access denied",
    "as(201806281)",
];

/// General user-unknown wording: what it means depends on the status code and the SMTP
/// command it answered.
const USER_UNKNOWN: &[&str] = &[
    "user unknown",
    "unknown user",
    "user_unknown",
    "userunknown",
    "no such user",
    "no such mailbox",
    "no such recipient",
    "no such account",
    "no such local user",
    "no such person",
    "no such address",
    "mailbox not found",
    "mailbox unavailable",
    "mailbox does not exist",
    "mailbox doesn't exist",
    "mailbox is unavailable",
    "mailbox not available",
    "recipient not found",
    "recipient unknown",
    "unknown recipient",
    "recipient does not exist",
    "recipient address rejected: user",
    "recipient address rejected: unknown",
    "recipient address rejected: undeliverable",
    "recipient address rejected: access denied",
    "recipient address rejected: invalid",
    "recipient rejected",
    "unknown address",
    "address unknown",
    "addressee unknown",
    "user not found",
    "user not exist",
    "user doesn't exist",
    "user does not exist",
    "user invalid",
    "invalid user",
    "invalid recipient",
    "invalid mailbox",
    "invalid address",
    "not a valid mailbox",
    "not a valid user",
    "bad destination mailbox",
    "bad recipient",
    "does not exist",
    "doesn't exist",
    "doesn't have a",
    "does not have an account",
    "no mailbox",
    "unknown local part",
    "unknown local-part",
    "account does not exist",
    "account not found",
    "not our customer",
    "is not a known user",
    "unknown or illegal alias",
    "undeliverable address",
    "address is not valid",
    "address does not exist",
    "no account by that name",
    "not listed in",
    "destination address rejected",
    "no valid recipients",
    "unknown mailbox",
    "mailbox unknown",
    "recipient no longer",
    "no longer active",
    "no longer available",
    "not a valid recipient",
    "email address couldn't be found",
    "email account that you tried to reach does not exist",
    "address couldn't be found",
    "we do not have a customer",
    "this user doesn't",
    "unknown account",
    "user is unknown",
    "name is not recognized",
    "was not found",
];

/// User-unknown wordings that are only ever sent in answer to RCPT TO.
const USER_UNKNOWN_RCPT: &[&str] = &[
    "recipient name is not recognized",
    "unknown user:",
    "no valid recipients",
    "address couldn't be found",
    "invalid recipient",
    "recipientnotfound",
    "recipient not found by smtp address lookup",
    "no such user here",
    "mailbox unavailable",
    ">: user unknown",
    ">... user unknown",
    ">, user unknown",
    "not listed in",
    "recipient address rejected.",
    "address rejected.",
    "delivery error: dd",
    "user unknown (in reply to rcpt",
    "mailbox does not exist",
    "mailbox not found",
    "no mailbox here",
];

/// Expiry wordings, consulted after mailbox-full and user-unknown wording.
const EXPIRED: &[(Reason, &[&str])] = &[(
    Reason::Expired,
    &[
        "have been failing for a long time",
        "aborted after",
        "did not accept our requests to connect",
        "establish an smtp connection",
        "connection timed out",
        "timed out",
        "retry timeout exceeded",
        "message expired",
        "delivery time expired",
        "could not be delivered within",
    ],
)];

/// Wordings of a filter that refused the message for this recipient.
const FILTERED: &[&str] = &[
    "delivery not authorized",
    "message filtered",
    "filtered",
    "refused by the recipient",
    "rejected by the recipient",
    "rejected by recipient",
    "recipient has blocked",
    "blocked by the recipient",
    "not accepting mail from",
    "only accepts mail from",
    "only accept mail from",
    "does not accept mail from",
    "mail from your address",
    "rejected per your request",
    "content filter",
    "due to the sender",
    "is restricted",
    "has restricted",
    "restricted",
    "not authorized to send",
    "permission",
    "not permitted",
];

/// Wordings trusted over the status code, after user-unknown and filter wording (first row wins).
const OUTRANK_STATUS: &[(Reason, &[&str])] = &[
    (
        Reason::RequirePtr,
        &[
            "reverse dns",
            "reverse lookup",
            "ptr record",
            "no ptr",
            "rdns",
            "reverse hostname",
            "cannot find your hostname",
            "cannot find your reverse",
            "unresolvable reverse",
            "does not resolve",
            "reverse dns lookup",
            "dns reverse",
            "ip name lookup failed",
            "no reverse",
            "unknown in reverse",
            "ptr",
        ],
    ),
    (
        Reason::NotCompliantRfc,
        &[
            "rfc 5322",
            "rfc5322",
            "rfc 2822",
            "rfc2822",
            "rfc 822",
            "rfc822 compliant",
            "not rfc compliant",
            "non-compliant",
            "multiple addresses in from",
            "duplicate header",
            "bare lf",
            "is not rfc",
            "message is not",
            "header is not valid",
            "missing required header",
            "malformed header",
        ],
    ),
    (
        Reason::BadReputation,
        &[
            "poor reputation",
            "bad reputation",
            "low reputation",
            "ip reputation",
            "sender reputation",
            "reputation",
        ],
    ),
    (
        Reason::VirusDetected,
        &["virus", "malware", "infected", "malicious"],
    ),
    (
        Reason::Blocked,
        &[
            "blacklist",
            "black list",
            "blocklist",
            "block list",
            "blocked using",
            "listed at",
            " listed in",
            "listed on",
            "dnsbl",
            " rbl",
            "rbl ",
            "spamhaus",
            "spamcop",
            "sorbs",
            "barracudacentral",
            "your ip",
            "your ip address",
            "client host rejected",
            "connection refused by",
            "not allowed to connect",
            "ip address blocked",
            "has been blocked",
            "ip blocked",
            "host blocked",
            "blocked by",
            "banned",
            "access denied, banned",
            "dynamic ip",
            "dynamic address",
            "dial-up",
            "dialup",
            "residential",
            "bad sending ip",
            "please use the smtp server of your isp",
            "use your provider",
            "service unavailable; client",
            "open relay",
            "connection rejected",
            "connections not accepted",
            "not accepting connections",
            "rejected because of",
            "too many bad",
            "blocked",
        ],
    ),
    (
        Reason::SpamDetected,
        &[
            "spam",
            "junk mail",
            "bulk mail",
            "unsolicited",
            "classified as",
            "message content rejected",
            "content rejected",
            "detected as",
            "suspicious",
            "scored",
            "score",
            "phish",
        ],
    ),
    (
        Reason::Speeding,
        &[
            "rate limit",
            "rate-limit",
            "ratelimit",
            "too fast",
            "sending rate",
            "try again slower",
            "receiving mail at a rate",
        ],
    ),
    (
        Reason::TooManyConn,
        &[
            "too many connections",
            "too many simultaneous",
            "too many concurrent",
            "connection limit",
            "too many sessions",
            "too many smtp sessions",
            "concurrent connection",
            "exceeded the rate",
            "too many messages",
            "throttl",
        ],
    ),
];

/// Wordings of a domain that does not exist or has no mail server.
const HOST_UNKNOWN: &[&str] = &[
    "host unknown",
    "unknown host",
    "host not found",
    "domain not found",
    "no such domain",
    "name or service not known",
    "domain does not exist",
    "domain doesn't exist",
    "unrouteable",
    "unroutable",
    "host or domain name not found",
    "dns lookup failure",
    "nxdomain",
    "domain name not found",
    "unknown domain",
    "all relevant mx records point to non-existent hosts",
    "domain is not valid",
    "invalid domain",
    "no such host",
    "host name lookup failure",
    "domain not exist",
];

/// Wordings of a refusal with no more specific cause.
const REJECTED: &[&str] = &[
    "sender rejected",
    "sender address rejected",
    "sender domain",
    "domain of sender",
    "sender verify failed",
    "sender verification",
    "sender not allowed",
    "sender unknown",
    "unknown sender",
    "invalid sender",
    "bad sender",
    "sender denied",
    "sender is not allowed",
    "envelope sender",
    "return path",
    "you are not allowed to send",
    "mail from rejected",
    "reject sender",
    "address rejected",
    "rejected",
];

/// Weaker wordings, consulted only after the status code (first row wins).
const FALLBACK: &[(Reason, &[&str])] = &[
    (
        Reason::SecurityError,
        &[
            "starttls",
            "tls required",
            "must issue a starttls",
            "encryption required",
            "authentication required",
            "authentication is required",
            "certificate",
            "access denied",
            "not authorized",
            "unauthorized",
        ],
    ),
    (
        Reason::Expired,
        &[
            "expired",
            "retry time",
            "retry timeout",
            "message timed out",
            "too long in queue",
            "queue too long",
            "could not be delivered for",
            "cannot send message for",
            "delivery time",
            "giving up",
            "gave up",
            "has been delayed",
            "delayed",
            "undeliverable for",
            "deferred",
            "will not retry",
            "not yet been delivered",
            "still being retried",
            "retrying",
        ],
    ),
    (
        Reason::NetworkError,
        &[
            "connection timed out",
            "timed out",
            "time out",
            "timeout",
            "connection refused",
            "network is unreachable",
            "no route to host",
            "lost connection",
            "connection reset",
            "connection closed",
            "could not connect",
            "unable to connect",
            "can't connect",
            "cannot connect",
            "failed to connect",
            "host is unreachable",
            "dns lookup",
            "mail loop",
            "loops back",
            "loop detected",
            "too many hops",
            "routing loop",
            "hop count",
            "loop",
            "network",
            "temporary lookup failure",
        ],
    ),
    (
        Reason::PolicyViolation,
        &["policy", "prohibited", "not allowed", "violat"],
    ),
    (
        Reason::SystemFull,
        &[
            "insufficient system storage",
            "system full",
            "disk full",
            "out of disk",
            "file system full",
        ],
    ),
    (
        Reason::NotAccept,
        &[
            "does not accept mail",
            "null mx",
            "not accepting mail",
            "no mail service",
            "accepts no mail",
            "does not accept email",
        ],
    ),
    (
        Reason::MailerError,
        &[
            "mailer error",
            "x-unix",
            "procmail",
            "unknown mailer",
            "command died",
            "exit code",
            "command failed",
            "pipe to",
        ],
    ),
    (
        Reason::SyntaxError,
        &[
            "syntax error",
            "command unrecognized",
            "unrecognized command",
            "bad command",
            "command not recognized",
        ],
    ),
    (
        Reason::ContentError,
        &[
            "illegal attachment",
            "attachment",
            "mime",
            "content",
            "encoding",
            "8bit",
            "charset",
        ],
    ),
    (
        Reason::SystemError,
        &[
            "system error",
            "internal error",
            "server error",
            "local error",
            "i/o error",
            "mail system",
            "temporary failure",
            "temporarily unavailable",
            "system problem",
            "configuration error",
            "misconfigur",
            "service unavailable",
            "try again later",
        ],
    ),
];

/// Reason from an enhanced status code alone, where the code is specific.
pub fn from_status(status: &str) -> Option<Reason> {
    let mut it = status.split('.');
    let class = it.next()?;
    let subject: u32 = it.next()?.parse().ok()?;
    let detail: u32 = it.next()?.parse().ok()?;
    if class == "2" {
        return Some(Reason::Delivered);
    }
    let r = match (subject, detail) {
        (1, 1) | (1, 3) => Reason::UserUnknown,
        (1, 2) => Reason::HostUnknown,
        (1, 6) => Reason::HasMoved,
        (1, 7) | (1, 8) => Reason::Rejected,
        (2, 0) => Reason::Filtered,
        (2, 1) => Reason::Suspend,
        (2, 2) => Reason::MailboxFull,
        (2, 3) => Reason::ExceedLimit,
        (2, 4) => Reason::SystemError,
        (3, 1) => Reason::SystemFull,
        (3, 2) => Reason::NotAccept,
        (3, 4) => Reason::MesgTooBig,
        (3, 3) | (3, 5) => Reason::SystemError,
        (4, 2) | (4, 6) => Reason::NetworkError,
        (4, 3) => Reason::SystemError,
        (4, 4) => Reason::HostUnknown,
        (4, 7) => Reason::Expired,
        (5, 1) | (5, 2) | (5, 3) | (5, 5) => Reason::SyntaxError,
        (6, _) => Reason::ContentError,
        (7, 6..=14) => Reason::SecurityError,
        (7, 20..=24) | (7, 26) => Reason::AuthFailure,
        (7, 25) => Reason::RequirePtr,
        (7, 27) => Reason::NotAccept,
        _ => return None,
    };
    Some(r)
}

// ------------------------------------------------------------- phrase search
//
// Every phrase of every table goes into one Aho–Corasick automaton, built once; one pass over
// the (lower-cased, whitespace-squeezed) text gives the set of rows that occur in it, one bit a
// row, and the rules ask that set.

/// The phrase tables, in the order the rules consult them first.
#[derive(Debug, Clone, Copy)]
enum Table {
    Decisive,
    OutrankUserUnknown,
    UserUnknownAlways,
    UserUnknown,
    UserUnknownRcpt,
    Expired,
    Filtered,
    OutrankStatus,
    HostUnknown,
    Rejected,
    Fallback,
}

/// Each [`Table`]'s rows (same order); single-reason phrase lists are one row.
const TABLES: [Rows; 11] = [
    DECISIVE,
    OUTRANK_USER_UNKNOWN,
    &[(Reason::UserUnknown, USER_UNKNOWN_ALWAYS)],
    &[(Reason::UserUnknown, USER_UNKNOWN)],
    &[(Reason::UserUnknown, USER_UNKNOWN_RCPT)],
    EXPIRED,
    &[(Reason::Filtered, FILTERED)],
    OUTRANK_STATUS,
    &[(Reason::HostUnknown, HOST_UNKNOWN)],
    &[(Reason::Rejected, REJECTED)],
    FALLBACK,
];

impl Table {
    fn rows(self) -> Rows {
        TABLES[self as usize]
    }

    /// The bit of this table's first row: the rows of the tables before it.
    const fn first_bit(self) -> usize {
        let mut bit = 0;
        let mut t = 0;
        while t < self as usize {
            bit += TABLES[t].len();
            t += 1;
        }
        bit
    }
}

/// How many rows all tables have: one bit each.
const ROWS: usize = {
    let mut n = 0;
    let mut t = 0;
    while t < TABLES.len() {
        n += TABLES[t].len();
        t += 1;
    }
    n
};
const _: () = assert!(ROWS <= 64, "phrase rows must fit a u64");

/// The phrase automaton and, for each (distinct) phrase, the rows it belongs to.
struct PhraseIndex {
    ac: AhoCorasick,
    rows: Vec<u64>,
}

static PHRASES: LazyLock<PhraseIndex> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut rows: Vec<u64> = Vec::new();
    let all = TABLES.iter().flat_map(|t| t.iter());
    for (bit, (_, phrases)) in all.enumerate() {
        for p in *phrases {
            match patterns.iter().position(|q| q == p) {
                Some(i) => rows[i] |= 1 << bit,
                None => {
                    patterns.push(p);
                    rows.push(1 << bit);
                }
            }
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .expect("the phrase tables build an automaton");
    PhraseIndex { ac, rows }
});

/// The table rows with a phrase in a (lower-cased, squeezed) text.
#[derive(Debug, Clone, Copy)]
struct Hits(u64);

impl Hits {
    fn of(text: &str) -> Hits {
        let index = &*PHRASES;
        let mut bits = 0u64;
        for m in index.ac.find_overlapping_iter(text) {
            bits |= index.rows[m.pattern().as_usize()];
        }
        Hits(bits)
    }

    /// Whether any row of a table has a phrase in the text.
    fn has(self, table: Table) -> bool {
        self.first(table).is_some()
    }

    /// The reason of a table's first row with a phrase in the text.
    fn first(self, table: Table) -> Option<Reason> {
        let at = table.first_bit();
        let rows = table.rows();
        (0..rows.len())
            .find(|&i| self.0 & (1 << (at + i)) != 0)
            .map(|i| rows[i].0)
    }
}

/// The SMTP command a failure answered, when the text says so.
const COMMAND_PATTERNS: &[(&str, &[&str])] = &[
    (
        "RCPT",
        &[
            "in reply to rcpt to",
            "after rcpt to",
            "rcpt to:<",
            "smtp:rcpt",
            "after rcpt command",
            "rcpt command",
            ">>> rcpt to",
            "rcpt to response",
            "[rcpt_to]",
            "smtp command rcpt",
            "rcpt to command",
        ],
    ),
    (
        "DATA",
        &[
            "in reply to end of data",
            "after end of data",
            "in reply to data",
            ">>> data",
            "after data",
            "smtp command data",
            "end of data command",
            "did not like our final data",
            "our final data",
        ],
    ),
    (
        "MAIL",
        &[
            "in reply to mail from",
            "after mail from",
            ">>> mail from",
            "smtp command mail",
            "mail from command",
        ],
    ),
    (
        "CONN",
        &[
            "after initial connection",
            "smtp greeting",
            "in reply to connect",
            "before greeting",
        ],
    ),
    (
        "EHLO",
        &[
            "in reply to ehlo",
            "after ehlo",
            ">>> ehlo",
            "in reply to helo",
            "after helo",
            ">>> helo",
        ],
    ),
];

/// SMTP-command phrases: one automaton (ASCII case-insensitive, so the text is not copied),
/// and for each pattern the command it names.
static COMMANDS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut commands = Vec::new();
    for (slot, (_, pats)) in COMMAND_PATTERNS.iter().enumerate() {
        for p in *pats {
            patterns.push(p);
            commands.push(slot);
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(&patterns)
        .expect("the command phrases build an automaton");
    (ac, commands)
});

/// The SMTP command a failure answered, when the text says so.
pub fn detect_command(text: &str) -> Option<&'static str> {
    // The last command mentioned is the one the failure answered (a transcript lists the
    // commands that succeeded before it): the latest start of any phrase; on a tie the
    // command listed first.
    let (ac, commands) = &*COMMANDS;
    let mut last: [Option<usize>; COMMAND_PATTERNS.len()] = [None; COMMAND_PATTERNS.len()];
    for m in ac.find_overlapping_iter(text) {
        let slot = commands[m.pattern().as_usize()];
        if last[slot].is_none_or(|p| m.start() > p) {
            last[slot] = Some(m.start());
        }
    }
    let mut best: Option<(usize, &'static str)> = None;
    for (slot, (cmd, _)) in COMMAND_PATTERNS.iter().enumerate() {
        if let Some(pos) = last[slot]
            && best.is_none_or(|(b, _)| pos > b)
        {
            best = Some((pos, cmd));
        }
    }
    best.map(|(_, c)| c)
}

/// Remove repeated `550-5.7.1` style continuation prefixes so that phrases
/// broken across reply lines can be matched. Borrows the text when there is none.
fn strip_reply_prefixes(text: &str) -> Cow<'_, str> {
    let words: Vec<&str> = text.split(' ').collect();
    // Kept words; `None` while every word so far is kept (the text itself).
    let mut out: Option<Vec<&str>> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let is_code =
            w.len() == 4 && w.as_bytes()[..3].iter().all(u8::is_ascii_digit) && w.ends_with('-')
                || (w.len() == 3 && w.bytes().all(|b| b.is_ascii_digit()) && i > 0);
        let skip = if is_code {
            if let Some(n) = words.get(i + 1)
                && super::util::find_status(n).as_deref() == Some(n.trim_end_matches(['.', ',']))
            {
                2
            } else {
                1
            }
        } else if w.len() > 5
            && w.as_bytes()[3] == b'-'
            && w.as_bytes()[..3].iter().all(u8::is_ascii_digit)
            // "550-5.7.1" glued together
            && super::util::find_status(&w[4..]).is_some()
        {
            1
        } else {
            0
        };
        if skip > 0 {
            out.get_or_insert_with(|| words[..i].to_vec());
            i += skip;
            continue;
        }
        if let Some(out) = &mut out {
            out.push(w);
        }
        i += 1;
    }
    match out {
        Some(kept) => Cow::Owned(kept.join(" ")),
        None => Cow::Borrowed(text),
    }
}

/// What the rules look at: the evidence, read once.
struct Facts<'a> {
    action: Option<Action>,
    /// The diagnostic, lower-cased, squeezed, reply prefixes removed.
    text: &'a str,
    hits: Hits,
    /// The reason the enhanced status code alone gives.
    status: Option<Reason>,
    /// A 4.x.x status (or, without one, a 4xx reply code).
    temporary: bool,
    /// The SMTP command the failure answered.
    command: Option<&'a str>,
    /// An SMTP reply code was given or is in the text.
    replied: bool,
}

impl Facts<'_> {
    fn status_in(&self, reasons: &[Reason]) -> Option<Reason> {
        self.status.filter(|r| reasons.contains(r))
    }

    /// A router's own verdict rather than a remote server's reply: no SMTP reply code, no
    /// status code beyond a generic `5.0.0`, and a short text that opens with user-unknown
    /// wording (Exim's `:fail: Unknown user`, a local mailbox lookup).
    fn bare_user_unknown(&self) -> bool {
        // The wording alone wrapped in punctuation counts too: GroupWise's "(user not found)",
        // "- no such user", "[unknown user]" (not "[user unknown] and more words").
        let bare = self
            .text
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches(|c: char| !c.is_alphanumeric());
        !self.temporary
            && self.status.is_none()
            && !self.replied
            && self.text.len() <= 40
            && (USER_UNKNOWN.iter().any(|p| self.text.starts_with(p))
                || USER_UNKNOWN.contains(&bare))
    }
}

/// One step of the classification: a reason, or `None` to ask the next rule.
type Rule = fn(&Facts<'_>) -> Option<Reason>;

/// The rules, walked in order by [`classify`]; the first that answers decides. The last one
/// always answers.
const RULES: &[Rule] = &[
    // A very specific status code wins over wording.
    |f| {
        let specific = [
            Reason::AuthFailure,
            Reason::RequirePtr,
            Reason::HasMoved,
            Reason::ExceedLimit,
        ];
        f.status_in(&specific)
    },
    |f| f.hits.first(Table::Decisive),
    |f| matches!(f.command, Some("CONN" | "EHLO")).then_some(Reason::Blocked),
    // A lasting status code that names the message or the mailbox.
    |f| {
        let about_message = [
            Reason::ContentError,
            Reason::NotAccept,
            Reason::SecurityError,
            Reason::MesgTooBig,
            Reason::SystemFull,
            Reason::MailboxFull,
        ];
        f.status_in(&about_message).filter(|_| !f.temporary)
    },
    |f| f.hits.first(Table::OutrankUserUnknown),
    |f| f.hits.first(Table::UserUnknownAlways),
    |f| {
        let suspended = f.status == Some(Reason::Suspend);
        (suspended && !f.hits.has(Table::UserUnknown)).then_some(Reason::Suspend)
    },
    // RCPT-only user-unknown wording under a lasting status code that says something else.
    |f| {
        let not_about_address = [
            Reason::UserUnknown,
            Reason::Suspend,
            Reason::Filtered,
            Reason::HostUnknown,
            Reason::SyntaxError,
            Reason::Rejected,
            Reason::Expired,
            Reason::NetworkError,
            Reason::SystemError,
        ];
        f.status
            .filter(|r| !not_about_address.contains(r) && !f.temporary)
            .filter(|_| f.hits.has(Table::UserUnknownRcpt))
    },
    |f| {
        let rcpt = f.hits.has(Table::UserUnknownRcpt) && f.command != Some("DATA");
        rcpt.then_some(Reason::UserUnknown)
    },
    |f| {
        let lasting = f.status == Some(Reason::UserUnknown) && !f.temporary;
        (lasting && f.hits.has(Table::UserUnknown)).then_some(Reason::UserUnknown)
    },
    |f| f.hits.first(Table::Expired),
    // User-unknown wording is a user unknown only when the status code says so or it answered
    // RCPT TO; before RCPT it is about the sender, otherwise a filter's.
    |f| {
        if !f.hits.has(Table::UserUnknown) {
            return None;
        }
        Some(match f.command {
            _ if f
                .status_in(&[Reason::UserUnknown, Reason::Suspend])
                .is_some() =>
            {
                Reason::UserUnknown
            }
            Some("RCPT") => Reason::UserUnknown,
            Some("MAIL") => Reason::Rejected,
            // No SMTP conversation (a local router's `:fail:`, a mailbox lookup) and no status
            // code that says otherwise: the wording means what it says.
            None if f.bare_user_unknown() => Reason::UserUnknown,
            _ => Reason::Filtered,
        })
    },
    |f| f.hits.first(Table::Filtered),
    |f| f.hits.first(Table::OutrankStatus),
    // A name lookup that failed for now ("try again", a 4.x.x status, "Deferred:") says nothing
    // about the domain: an expiry when the mail system gave up over it, else a network error.
    |f| {
        if !f.hits.has(Table::HostUnknown) {
            return None;
        }
        let gave_up = f.status == Some(Reason::Expired)
            || f.text.contains("deferred: name server")
            || f.text.contains("deferred: host name lookup");
        let for_now = f.temporary || f.text.contains("not found, try again");
        match (gave_up, for_now) {
            (true, _) => Some(Reason::Expired),
            (false, true) => Some(Reason::NetworkError),
            _ => None,
        }
    },
    |f| f.hits.first(Table::HostUnknown),
    // "Address rejected" under a lasting 5.1.x address status is the recipient's address,
    // not the sender's (sender wordings are decided earlier).
    |f| {
        let address_status = f.status == Some(Reason::UserUnknown) && !f.temporary;
        let about_sender = ["sender", "mail from", "return path", "return-path"]
            .iter()
            .any(|w| f.text.contains(w));
        (address_status
            && f.command != Some("MAIL")
            && !about_sender
            && f.text.contains("address rejected"))
        .then_some(Reason::UserUnknown)
    },
    |f| (f.command == Some("MAIL")).then_some(Reason::Rejected),
    |f| f.hits.first(Table::Rejected),
    // The status code, unless a temporary one names the address or its domain.
    |f| {
        let about_address = [Reason::UserUnknown, Reason::HostUnknown];
        f.status
            .filter(|r| !(f.temporary && about_address.contains(r)))
    },
    |f| (f.action == Some(Action::Delayed) || f.temporary).then_some(Reason::Expired),
    |f| f.hits.first(Table::Fallback),
    // Undefined when no word longer than two characters outside addresses remains, or nothing
    // alphanumeric outside the words holding an `@`; else on hold.
    |f| {
        let meaningful = f
            .text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.len() > 2 && !w.contains('@'));
        let addr_free_alnum = f
            .text
            .split_whitespace()
            .filter(|w| !w.contains('@'))
            .any(|w| w.chars().any(char::is_alphanumeric));
        Some(if meaningful && addr_free_alnum {
            Reason::OnHold
        } else {
            Reason::Undefined
        })
    },
];

/// Choose the reason for one recipient: the first of [`RULES`] that answers.
pub fn classify(ev: &Evidence<'_>) -> Reason {
    if ev.action == Some(Action::Delivered) || ev.status.is_some_and(|s| s.starts_with("2.")) {
        return Reason::Delivered;
    }
    let squeezed = super::util::squeeze_lower(ev.diagnostic);
    let text = strip_reply_prefixes(&squeezed);
    let facts = Facts {
        action: ev.action,
        text: &text,
        hits: Hits::of(&text),
        status: ev.status.and_then(from_status),
        temporary: ev.status.is_some_and(|s| s.starts_with('4'))
            || (ev.status.is_none() && ev.reply_code.is_some_and(|c| c.starts_with('4'))),
        command: ev.command.or_else(|| detect_command(&text)),
        replied: ev.reply_code.is_some() || super::util::find_reply_code(&text).is_some(),
    };
    RULES
        .iter()
        .find_map(|rule| rule(&facts))
        .unwrap_or(Reason::Undefined)
}

/// A permanent failure (a 5.x.x status, or without one a 5xx reply) whose words say the account
/// was disabled, deactivated or closed, and not only for now (temporarily, suspended, for
/// non-payment, frozen, locked): the mail will not arrive, a hard bounce like an unknown user.
pub fn disabled_for_good(diagnostic: &str, status: Option<&str>, reply_code: Option<&str>) -> bool {
    let permanent = match status {
        Some(s) => s.starts_with('5'),
        None => reply_code.is_some_and(|c| c.starts_with('5')),
    };
    if !permanent {
        return false;
    }
    let t = diagnostic.to_lowercase();
    let gone = [
        "disabled",
        "deactivated",
        "de-activated",
        "closed",
        "terminated",
    ]
    .iter()
    .any(|w| t.contains(w));
    let for_now = [
        "temporar",
        "suspend",
        "payment",
        "frozen",
        "locked",
        "until",
        "try again",
    ]
    .iter()
    .any(|w| t.contains(w));
    gone && !for_now
}

/// sisimai's hard-bounce rule.
pub fn is_hard(reason: Reason, status: Option<&str>, reply_code: Option<&str>) -> bool {
    match reason {
        Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved => true,
        Reason::NotAccept => match status {
            Some(s) => s.starts_with('5'),
            None => !reply_code.is_some_and(|c| c.starts_with('4')),
        },
        _ => false,
    }
}

/// True when the failure is about the sending side rather than the recipient.
pub fn is_sender_side(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::Blocked
            | Reason::PolicyViolation
            | Reason::SpamDetected
            | Reason::SecurityError
            | Reason::TooManyConn
            | Reason::AuthFailure
            | Reason::RequirePtr
            | Reason::BadReputation
            | Reason::Speeding
            | Reason::NoRelaying
            | Reason::VirusDetected
            | Reason::NotCompliantRfc
            | Reason::Rejected
            | Reason::ContentError
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_prefixes_are_removed_and_other_text_is_borrowed() {
        for (text, want) in [
            (
                "550-5.1.1 the email account 550-5.1.1 does not exist",
                "the email account does not exist",
            ),
            ("550 5.1.1 user 550 unknown", "550 5.1.1 user unknown"),
            ("550-5.7.1 blocked", "blocked"),
            ("host said: 550-5.7.1 x 550 y", "host said: x y"),
        ] {
            let got = strip_reply_prefixes(text);
            assert!(matches!(got, Cow::Owned(_)), "{text:?}");
            assert_eq!(got, want, "{text:?}");
        }
        for text in ["", "550 5.1.1 user unknown", "mailbox full", " a  b "] {
            let got = strip_reply_prefixes(text);
            assert!(matches!(got, Cow::Borrowed(_)), "{text:?}");
            assert_eq!(got, text);
        }
    }

    #[test]
    fn undefined_without_words_outside_addresses() {
        let ev = |d| Evidence {
            diagnostic: d,
            action: Some(Action::Failed),
            ..Evidence::default()
        };
        assert_eq!(classify(&ev("")), Reason::Undefined);
        assert_eq!(classify(&ev("<ana@example.org> ;")), Reason::Undefined);
        assert_eq!(classify(&ev("ab cd")), Reason::Undefined);
        assert_eq!(
            classify(&ev("<ana@example.org> computer says no")),
            Reason::OnHold
        );
    }
}
