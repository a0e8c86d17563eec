//! Non-standard bounces (qmail, Exim, Sendmail without DSN, Gmail, Exchange,
//! Yahoo, Courier …), Amazon SES JSON notifications and auto-replies: all
//! read from human-readable text with phrase heuristics.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::dsn::decide;
use super::util::{
    ends_with_ignore_case, find_addresses, find_reply_code, find_status, squeeze, squeeze_lower,
    starts_with_ignore_case,
};
use super::{Action, MessageKind, Reason, RecipientReport, header_texts};

/// Facts about the envelope of the message being read.
#[derive(Debug, Default, Clone)]
pub struct Context {
    pub subject: String,
    pub from: String,
    /// Addresses in the bounce's own headers (its To, From, Return-Path …):
    /// never the failed recipient.
    pub own_addresses: Vec<String>,
    /// To addresses of the returned original, when it was attached.
    pub original_to: Vec<String>,
    pub original_from: Vec<String>,
    /// A person's reply (a `Re:` subject with `In-Reply-To` or `References`): the bounce
    /// wording it quotes is not its own.
    pub reply: bool,
}

/// Lines that start the returned original inside a plain-text bounce.
fn is_original_marker(line: &str) -> bool {
    let l = line.trim();
    if l.is_empty() {
        return false;
    }
    const TOPICS: &[&str] = &[
        "copy of the message",
        "copy of your message",
        "original message",
        "unsent message",
        "message header follow",
        "message headers follow",
        "header of the original",
        "headers of the original",
        "original headers",
        "original header",
        "returned message",
        "headers of your message",
        "header of your message",
        "original mail",
        "message text follows",
        "your message follows",
        "message follows",
        "original e-mail",
        "the message you sent",
        "included below",
    ];
    let framed = l.starts_with(['-', '=', '*', '_'])
        || ends_with_ignore_case(l, "follows")
        || ends_with_ignore_case(l, "follows.")
        || ends_with_ignore_case(l, "below.")
        || l.ends_with(':');
    if !framed {
        return false;
    }
    let l = l.to_ascii_lowercase();
    TOPICS.iter().any(|t| l.contains(t))
}

fn is_header_start(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "received: ",
        "return-path: ",
        "return-path:<",
        "dkim-signature: ",
        "x-received: ",
        "delivered-to: ",
        "authentication-results: ",
        "arc-seal: ",
    ];
    STARTS.iter().any(|s| starts_with_ignore_case(line, s))
}

/// Split body text into the bounce explanation and the returned original
/// (if the original is included inline): the lines before the marker (or
/// before the first header line), and the lines after the marker (or from the
/// header line on).
pub fn split_original(body: &str) -> (&str, Option<&str>) {
    let mut prev_blank = true;
    // Byte offset of the current line.
    let mut at = 0;
    for (i, line) in body.split('\n').enumerate() {
        let next = at + line.len() + 1;
        if is_original_marker(line) {
            return (
                &body[..at.saturating_sub(1)],
                Some(body.get(next..).unwrap_or("")),
            );
        }
        if prev_blank && i > 0 && is_header_start(line) {
            return (&body[..at - 1], Some(&body[at..]));
        }
        prev_blank = line.trim().is_empty();
        at = next;
    }
    (body, None)
}

/// The human-readable text of a message, split once for every reader.
pub struct Body<'a> {
    /// Every top-level text part, joined.
    pub full: &'a str,
    /// The explanation, without an inline returned original.
    pub section: &'a str,
    /// The returned original, when it is inline.
    pub original: Option<&'a str>,
    /// `section` lower-cased with whitespace squeezed.
    pub section_lc: String,
}

impl<'a> Body<'a> {
    pub fn new(full: &'a str) -> Body<'a> {
        let (section, original) = split_original(full);
        Body {
            full,
            section,
            original,
            section_lc: squeeze_lower(section),
        }
    }
}

/// `name: value` pairs of every header-like line (names as written: compare
/// them ignoring ASCII case); leading whitespace and quoting `>` are tolerated
/// so indented originals count.
pub fn header_like_fields(text: &str) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for raw in text.split('\n') {
        let line = raw.trim_end_matches('\r');
        let t = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        if let Some(pos) = t.find(':') {
            let name = &t[..pos];
            if !name.is_empty()
                && name.len() < 64
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                out.push((name, t[pos + 1..].trim()));
                continue;
            }
        }
        // Continuation of a folded field in an unindented block.
        if (line.starts_with(' ') || line.starts_with('\t'))
            && let Some(last) = out.last_mut()
            && last.1.is_empty()
        {
            last.1 = line.trim();
        }
    }
    out
}

/// Does this text look like a block of message headers?
pub fn looks_like_headers(text: &str) -> bool {
    let mut fields = 0;
    let mut seen = 0;
    for line in text.split('\n').filter(|l| !l.trim().is_empty()).take(12) {
        seen += 1;
        if line.starts_with(' ') || line.starts_with('\t') {
            fields += 1;
            continue;
        }
        if let Some(pos) = line.find(':')
            && pos > 0
            && line[..pos]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            fields += 1;
        }
    }
    seen >= 3 && fields * 10 >= seen * 8
}

// ---------------------------------------------------------------- auto-reply

const AUTO_SUBJECTS: &[&str] = &[
    "auto:",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autoresponse",
    "automatic reply",
    "automatic response",
    "automatische antwort",
    "automatisch antwoord",
    "out of office",
    "out of the office",
    "out-of-office",
    "ooo:",
    "abwesenheitsnotiz",
    "abwesend",
    "réponse automatique",
    "reponse automatique",
    "respuesta automática",
    "respuesta automatica",
    "fuera de la oficina",
    "risposta automatica",
    "fuori sede",
    "autosvar",
    "automaattinen vastaus",
    "resposta automática",
    "on vacation",
    "i am away",
    "i'm away",
    "自動応答",
    "automatyczna odpowiedź",
    "automatická odpověď",
    "automatická odpoveď",
    "automatisk svar",
    "automatiskt svar",
    "automatikus válasz",
    "otomatik yanıt",
    "otomatik cevap",
    "автоматический ответ",
    "автоответ",
    "автоматична відповідь",
    "αυτόματη απάντηση",
    "automatski odgovor",
    "samodejni odgovor",
    "răspuns automat",
    "automātiskā atbilde",
    "automatinis atsakymas",
    "automaatne vastus",
    "自动回复",
    "自動回覆",
    "自動回复",
    "자동 회신",
    "자동 응답",
    "ตอบกลับอัตโนมัติ",
    "trả lời tự động",
    "balasan automatik",
    "balasan otomatis",
    "afwezigheidsmelding",
    "afwezigheidsbericht",
    "poza biurem",
    "nepřítomnost",
    "mimo kancelář",
    "fuori ufficio",
    "ausência temporária",
    "fora do escritório",
    "frånvaro",
    "fravær",
    "poissa toimistolta",
    "不在通知",
];

/// Auto-reply words that only count at the start of the subject, so that a
/// person writing about their vacation is not taken for a robot.
const AUTO_SUBJECT_PREFIXES: &[&str] = &[
    "vacation",
    "away from",
    "away until",
    "absence",
    "absent",
    "on leave",
    "不在",
];

/// RFC 3834 and the common vendor auto-reply markers.
pub fn is_auto_reply(headers: &[mail_parser::Header<'_>], ctx: &Context) -> bool {
    for v in header_texts(headers, "Auto-Submitted") {
        if v.trim().to_ascii_lowercase().starts_with("auto-replied") {
            return true;
        }
    }
    for name in [
        "X-Autoreply",
        "X-Autorespond",
        "X-Autoresponder",
        "X-Auto-Reply",
        "X-Vacation",
        "X-Mail-Autoreply",
    ] {
        if headers.iter().any(|h| h.name().eq_ignore_ascii_case(name)) {
            return true;
        }
    }
    for v in header_texts(headers, "Precedence") {
        if v.trim().eq_ignore_ascii_case("auto_reply") {
            return true;
        }
    }
    let s = ctx.subject.to_lowercase();
    let s = s.trim();
    AUTO_SUBJECTS.iter().any(|p| s.contains(p))
        || AUTO_SUBJECT_PREFIXES.iter().any(|p| s.starts_with(p))
}

// ------------------------------------------------------------ bounce signals

#[derive(Debug, Default, Clone, Copy)]
pub struct Hint {
    pub daemon_from: bool,
    pub subject: bool,
    pub body: bool,
}

impl Hint {
    pub fn strong(&self) -> bool {
        self.daemon_from || self.body
    }
    pub fn any(&self) -> bool {
        self.daemon_from || self.subject || self.body
    }
}

const DAEMON_LOCALS: &[&str] = &[
    "mailer-daemon",
    "mailer_daemon",
    "mailerdaemon",
    "postmaster",
    "post_master",
    "mail.delivery.system",
    "mail-daemon",
    "maildaemon",
    "mdaemon",
    "mail_delivery_system",
];

fn is_daemon_address(addr: &str) -> bool {
    let local = addr.split('@').next().unwrap_or("");
    DAEMON_LOCALS.contains(&local)
}

const BOUNCE_SUBJECTS: &[&str] = &[
    "undeliver",
    "undelivered",
    "delivery status notification",
    "failure notice",
    "returned mail",
    "mail delivery failed",
    "delivery failure",
    "delivery failed",
    "delivery has failed",
    "failed delivery",
    "failure delivery",
    "could not be delivered",
    "mail system error",
    "delivery notification",
    "returned to sender",
    "non-delivery",
    "nondeliverable",
    "non deliverable",
    "delayed mail",
    "delivery delayed",
    "delivery problem",
    "error sending your mail",
    "mail failure",
    "returned message",
    "message not delivered",
    "delivery report",
    "メールエラー",
    "not delivered",
    "delivery incomplete",
];

const BOUNCE_PHRASES: &[&str] = &[
    "qmail-send program",
    "created automatically by mail delivery software",
    "could not be delivered",
    "couldn't be delivered",
    "was not delivered",
    "wasn't delivered",
    "delivery to the following recipient",
    "delivery to the following recipients",
    "could not deliver",
    "couldn't deliver",
    "unable to deliver",
    "was unable to deliver",
    "failed permanently",
    "delivery has failed",
    "delivery failed",
    "permanent error",
    "permanent fatal error",
    "transcript of session follows",
    "following address(es) failed",
    "following addresses had permanent",
    "your message did not reach",
    "message you sent could not",
    "your message could not",
    "your message was not",
    "has not yet been delivered",
    "not been delivered",
    "undeliverable",
    "delivery status notification",
    "recipient address rejected",
    "user unknown",
    "message delivery failed",
    "returned to the sender",
    "the following recipients",
    "will be retried",
    "this is an automatically generated delivery status notification",
    "i'm afraid i wasn't able to deliver",
    "error occurred while delivering",
    "your mail could not",
];

/// Build an automaton for a phrase list (searched with `is_match`).
fn automaton(phrases: &[&str]) -> AhoCorasick {
    AhoCorasick::new(phrases).expect("a phrase list builds an automaton")
}

static BOUNCE_PHRASES_AC: LazyLock<AhoCorasick> = LazyLock::new(|| automaton(BOUNCE_PHRASES));

/// Why we might believe this is a bounce even without a DSN part.
pub fn bounce_hint(ctx: &Context, text: &Body<'_>) -> Hint {
    let from_lc = ctx.from.to_lowercase();
    let from_addrs = find_addresses(&ctx.from);
    let daemon_from = from_addrs.iter().any(|f| is_daemon_address(&f.address))
        || from_lc.contains("mailer-daemon")
        || from_lc.contains("mail delivery")
        || from_lc.contains("mail deliver system")
        || (from_addrs.is_empty()
            && (from_lc.trim().is_empty() || from_lc.contains("<>"))
            && !text.full.is_empty());
    let subj = ctx.subject.to_lowercase();
    if ctx.reply && !daemon_from {
        // A person's reply or forward: not the bounce they quote (nor a subject they replied
        // to), and not their own words about mail that did not arrive ("my old address is
        // undeliverable"): a person is not a mail system reporting a failure.
        return Hint {
            daemon_from,
            subject: false,
            body: false,
        };
    }
    let subject = BOUNCE_SUBJECTS.iter().any(|p| subj.contains(p));
    let body = BOUNCE_PHRASES_AC.is_match(&text.section_lc);
    Hint {
        daemon_from,
        subject,
        body,
    }
}

// ------------------------------------------------------- challenge-response

/// A challenge-response system holding our message until the sender proves to be a person:
/// the message has not arrived yet, and someone has to act.
pub fn is_challenge(subject: &str, section_lc: &str) -> bool {
    static CHALLENGE: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "challenge/response",
            "challenge-response",
            "challenge response",
            "verify that you are a human",
            "verify you are a human",
            "verify that you are human",
            "confirm that you are a human",
            "confirm you are a human",
            "confirm that you are human",
            "confirm you are human",
            "prove that you are human",
            "prove you are human",
            "not a robot",
            "verify your email address to deliver",
            "confirm your email address to deliver",
            "until you verify",
            "until you confirm",
            "once you verify",
            "once you confirm",
            "awaiting your confirmation",
            "pending your verification",
            "sender verification required",
            "to have your message delivered",
            "to get your message delivered",
            "to be able to deliver your message",
            "requires confirmation prior to delivery",
            "requires your confirmation",
            "authenticate yourself",
            "approve your address",
            "add yourself to",
            "senders i have approved",
            "list of approved senders",
            "added to my list",
            "fill out the short request form",
            "guest list",
            "waiting list",
        ])
    });
    static ASKS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "verify",
            "confirm",
            "human",
            "click",
            "reply to this",
            "prove",
            "authenticate",
            "approve",
            "visit",
            "link",
        ])
    });
    let s = subject.to_lowercase();
    let subject_asks =
        (s.contains("verify") || s.contains("confirm") || s.contains("verification"))
            && (s.contains("address")
                || s.contains("message")
                || s.contains("sender")
                || s.contains("human"));
    CHALLENGE.is_match(section_lc) && (subject_asks || ASKS.is_match(section_lc))
}

// ------------------------------------------------- mailing-list moderation

/// A mailing list holding a post for its moderators (Mailman, Sympa, LISTSERV, Google Groups
/// …): a notice to the poster about a list, not a failure for any recipient of ours.
pub fn is_list_hold(subject: &str, section_lc: &str) -> bool {
    static MODERATION: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "moderator",
            "moderation",
            "list editor",
            "editor(s)",
            "group owner",
            "list owner",
        ])
    });
    static HELD: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "awaits moderator approval",
            "awaiting moderator approval",
            "awaiting moderation",
            "awaiting approval",
            "pending approval",
            "pending moderation",
            "held for moderation",
            "held for approval",
            "held for moderator",
            "is being held until",
            "has been held",
            "submitted to the moderator",
            "forwarded to the list editor",
            "for approval",
        ])
    });
    let s = subject.to_lowercase();
    (MODERATION.is_match(&s) || MODERATION.is_match(section_lc))
        && (HELD.is_match(&s) || HELD.is_match(section_lc))
}

// ------------------------------------------------------- plain-text bounces

/// A notice that the mail system is still trying (a delay or warning notice): it says so in
/// its subject or text, and nowhere says that it gave up. "You'll be notified if the delivery
/// fails permanently" is a promise about the future, not a failure, so a bare "permanent" does
/// not count as giving up.
pub(crate) fn is_delay_notice(subject: &str, section_lc: &str) -> bool {
    let s = subject.to_lowercase();
    static SUBJECT_DELAY: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "delay",
            "warning:",
            "still being retried",
            "not yet delivered",
            "not delivered yet",
            "delivery incomplete",
            "delivery status notification: warning",
            "notification: warning",
            "(warning)",
            "verzögert",
            "retardée",
            "retardé",
            "retrasad",
            "vertraagd",
            "ritardat",
            "opóźnion",
        ])
    });
    static STILL_TRYING: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "will continue to try",
            "will keep trying",
            "will be retried",
            "will retry",
            "will try again",
            "will attempt to deliver",
            "has not yet been delivered",
            "not yet been delivered",
            "not delivered yet",
            "not been delivered yet",
            "no action is required on your part",
            "this is a warning message only",
            "warning: message still undelivered",
            "still trying",
            "delivery incomplete",
            "noch nicht zugestellt",
            "wird weiterhin versucht",
            "pas encore été remis",
            "n'a pas encore été remis",
            "aún no se ha entregado",
            "todavía no se ha entregado",
            "nog niet bezorgd",
            "nog niet afgeleverd",
            "non è stato ancora recapitato",
        ])
    });
    static GAVE_UP: LazyLock<AhoCorasick> = LazyLock::new(|| {
        automaton(&[
            "permanent error",
            "permanent failure",
            "permanent fatal",
            "failed permanently",
            "permanently failed",
            "permanently rejected",
            "gave up",
            "given up",
            "giving up",
            "will not be retried",
            "will not retry",
            "no longer be retried",
            "delivery time expired",
            "message expired",
        ])
    });
    (SUBJECT_DELAY.is_match(&s) || STILL_TRYING.is_match(section_lc))
        && !GAVE_UP.is_match(section_lc)
}

/// Strip leading labels and punctuation so we can tell whether an address
/// opens its line.
fn opens_line(line: &str, start: usize) -> bool {
    let head = line[..start].trim().to_ascii_lowercase();
    let head = head.trim_end_matches(['<', '"', '\'', '(', '[']).trim();
    if head.is_empty() {
        return true;
    }
    const LABELS: &[&str] = &[
        "rcpt to:",
        "recipient:",
        "recipients:",
        "address:",
        "recipient address:",
        "original-recipient:",
        "final-recipient:",
        "failed recipient:",
        "failed address:",
        "email address:",
        "e-mail address:",
        "destinataire:",
        "user:",
        "user",
        "for",
        "-",
        "*",
        "o",
        "•",
        "recipient",
        "for recipient",
    ];
    if LABELS.contains(&head) {
        return true;
    }
    // "… could not deliver your message to <addr>", "Delivery to <addr>".
    if head.ends_with(" to") && head.len() < 80 {
        return true;
    }
    // "rfc822;" or "smtp;" prefixes.
    head.ends_with(';') && head.len() < 10
}

fn excluded(addr: &str, ctx: &Context) -> bool {
    addr.split('@')
        .next()
        .is_some_and(|l| l.contains("mailer-daemon") || l.contains("mailer_daemon"))
        || ctx.own_addresses.iter().any(|a| a == addr)
        || ctx.original_from.iter().any(|a| a == addr)
}

/// An address offered for help ("please contact <postmaster@…>", "write to …"), not one that
/// failed: the text before it on its line, or the end of the line before when it opens its
/// line, asks the reader to get in touch.
fn in_contact_prose(lines: &[&str], i: usize, line_lc: &str, start: usize) -> bool {
    const ASKS: &[&str] = &[
        "contact",
        "write to",
        "send mail to",
        "send an email to",
        "questions",
        "assistance",
        "reach us",
        "helpdesk",
    ];
    let before = line_lc.get(..start).unwrap_or("");
    let lead = if before
        .trim()
        .trim_end_matches(['<', '(', '"'])
        .trim()
        .is_empty()
        && i > 0
    {
        lines[i - 1].to_ascii_lowercase()
    } else {
        before.to_string()
    };
    let lead = lead.trim_end();
    ASKS.iter().any(|w| lead.contains(w))
        && !lead.ends_with(':')
        && !lead.contains("could not")
        && !lead.contains("delivery to")
}

fn after_mail_from(line_lc: &str, start: usize) -> bool {
    let before = &line_lc[..start];
    let tail: String = before
        .chars()
        .rev()
        .take(14)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    tail.contains("mail from") || tail.contains("from:") || tail.contains("sender")
}

/// Read failed recipients from the human-readable text of a bounce.
pub fn read_plain_bounce(body: &Body<'_>, ctx: &Context) -> Vec<RecipientReport> {
    let plain = read_plain(body, ctx, true);
    plain
        .found
        .into_iter()
        .map(|(addr, diag)| report(addr, &diag, plain.preamble.as_deref(), plain.action))
        .collect()
}

/// The failed recipients of a plain-text bounce and what the text says about each (when it
/// says anything), without deciding reasons: what a DSN reader consults.
pub fn plain_diagnostics(body: &Body<'_>, ctx: &Context) -> Vec<(String, Option<String>)> {
    read_plain(body, ctx, false)
        .found
        .into_iter()
        .map(|(addr, diag)| (addr, Some(diag).filter(|d| !d.is_empty())))
        .collect()
}

/// What `read_plain` finds: (address, diagnostic) pairs, the text before the first address
/// (when an address was found in the text) and the action; the last two only when asked for
/// (`verdict`), else `None` and `Failed`.
struct Plain {
    found: Vec<(String, String)>,
    preamble: Option<String>,
    action: Action,
}

/// A recipient address found in the text.
struct Occurrence {
    /// Its line's index.
    line: usize,
    /// Where it starts and ends in that line (bytes).
    start: usize,
    end: usize,
    address: String,
    /// Whether it opens its line (a list of failed recipients, one per line).
    opens: bool,
}

/// Every address in `lines` that may be a failed recipient (not ours, not a `MAIL FROM`, not
/// a contact address in prose).
fn occurrences(lines: &[&str], ctx: &Context) -> Vec<Occurrence> {
    let mut occ = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let found = find_addresses(line);
        if found.is_empty() {
            continue;
        }
        let lc = line.to_ascii_lowercase();
        for f in found {
            if excluded(&f.address, ctx)
                || (lc.is_char_boundary(f.start) && after_mail_from(&lc, f.start))
                || in_contact_prose(lines, i, &lc, f.start)
            {
                continue;
            }
            occ.push(Occurrence {
                line: i,
                start: f.start,
                end: f.end,
                opens: opens_line(line, f.start),
                address: f.address,
            });
        }
    }
    occ
}

/// The first occurrence of each address, among those that open their line when any does.
fn firsts(occ: &[Occurrence]) -> Vec<&Occurrence> {
    let chosen: Vec<&Occurrence> = if occ.iter().any(|o| o.opens) {
        occ.iter().filter(|o| o.opens).collect()
    } else {
        occ.iter().collect()
    };
    let mut firsts: Vec<&Occurrence> = Vec::new();
    for o in chosen {
        if !firsts.iter().any(|f| f.address == o.address) {
            firsts.push(o);
        }
    }
    firsts
}

/// No address in the text: the returned original's To (the context's, else the To field of
/// an original quoted inline), each with the whole section as its diagnostic.
fn original_recipients(body: &Body<'_>, ctx: &Context) -> Vec<(String, String)> {
    let mut to = ctx.original_to.clone();
    if to.is_empty()
        && let Some(orig) = body.original
    {
        for (name, value) in header_like_fields(orig) {
            if name.eq_ignore_ascii_case("to") {
                for f in find_addresses(value) {
                    if !to.contains(&f.address) {
                        to.push(f.address);
                    }
                }
                break;
            }
        }
    }
    let diag = squeeze(body.section);
    to.into_iter()
        .filter(|a| !excluded(a, ctx))
        .map(|addr| (addr, diag.clone()))
        .collect()
}

/// The diagnostic of `first` (the address's first occurrence): the rest of its line (with
/// the text before the address when that says something) and the lines up to the next
/// address's line (`stop`).
fn diagnostic(lines: &[&str], occ: &[Occurrence], first: &Occurrence, stop: usize) -> String {
    let mut block = String::new();
    // The whole line holding the address: text before it often says
    // what happened ("Unable to deliver message to <a>").
    if let Some(l) = lines.get(first.line) {
        let start = occ
            .iter()
            .find(|o| o.line == first.line && o.address == first.address)
            .map(|o| o.start)
            .unwrap_or(0);
        let lead = l
            .get(..start)
            .unwrap_or("")
            .trim_end_matches(['<', '"', ' ']);
        if lead.trim().len() > 12 {
            // The address sits inside the server's sentence ("… delivering your message to
            // <a>. Gmail will retry …"): keep the sentence whole, address included.
            block.push_str(l.trim());
        } else if let Some(rest) = l.get(first.end..) {
            block.push_str(rest);
        }
    }
    for l in lines.iter().take(stop).skip(first.line + 1) {
        block.push(' ');
        block.push_str(l);
    }
    let mut diag = squeeze(block.trim_start_matches(['>', ':', '.', ' ']));
    // Text right before the address on its own line is often the reply.
    if diag.len() < 4
        && let Some(l) = lines.get(first.line)
    {
        diag = squeeze(l);
    }
    diag
}

fn read_plain(body: &Body<'_>, ctx: &Context, verdict: bool) -> Plain {
    let lines: Vec<&str> = body.section.split('\n').collect();
    let occ = occurrences(&lines, ctx);
    let firsts = firsts(&occ);
    let action = if verdict && is_delay_notice(&ctx.subject, &body.section_lc) {
        Action::Delayed
    } else {
        Action::Failed
    };
    if firsts.is_empty() {
        return Plain {
            found: original_recipients(body, ctx),
            preamble: None,
            action,
        };
    }
    let mut found = Vec::with_capacity(firsts.len());
    for (k, first) in firsts.iter().enumerate() {
        let stop = firsts
            .iter()
            .skip(k + 1)
            .map(|f| f.line)
            .find(|&l| l > first.line)
            .unwrap_or(lines.len());
        found.push((first.address.clone(), diagnostic(&lines, &occ, first, stop)));
    }
    let preamble = verdict.then(|| {
        let first_line = firsts.first().map(|f| f.line).unwrap_or(lines.len());
        squeeze(&lines[..first_line.min(lines.len())].join(" "))
    });
    Plain {
        found,
        preamble,
        action,
    }
}

fn report(address: String, diag: &str, preamble: Option<&str>, action: Action) -> RecipientReport {
    let status = find_status(diag).or_else(|| preamble.and_then(find_status));
    let reply = find_reply_code(diag);
    let mut reason = decide(diag, preamble, status.as_deref(), reply.as_deref(), action);
    // Google Groups refuses posts from non-members or to missing groups.
    if address.ends_with("@googlegroups.com")
        && matches!(
            reason,
            Reason::OnHold | Reason::Undefined | Reason::Filtered
        )
    {
        reason = Reason::Rejected;
    }
    let diagnostic = if diag.is_empty() {
        None
    } else {
        Some(diag.to_string())
    };
    RecipientReport::new(address, action, status, reply, diagnostic, reason)
}

// ------------------------------------------------------------ Amazon SES JSON

fn first_json(text: &str) -> Option<serde_json::Value> {
    let start = text.find('{')?;
    let parse = |t: &str| {
        let mut it = serde_json::Deserializer::from_str(t).into_iter::<serde_json::Value>();
        it.next()?.ok()
    };
    // A mail client may have hard-wrapped the JSON (line breaks inside strings): read it
    // again without them.
    parse(&text[start..]).or_else(|| parse(&text[start..].replace('\n', "")))
}

/// The `emailAddress` values inside the `bouncedRecipients` list of SES JSON that does not
/// parse (cut short, mangled): the only addresses such a notice names as failed. Never the
/// `source`, the headers or the unsubscribe link.
fn bounced_addresses_in_broken_json(body: &str) -> Vec<String> {
    let flat = body.replace('\n', "");
    let Some(start) = flat.find("\"bouncedRecipients\"") else {
        return Vec::new();
    };
    let list = &flat[start..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    let mut out = Vec::new();
    for piece in list.split("\"emailAddress\"").skip(1) {
        let value = piece.trim_start_matches([' ', ':', '"']);
        let value = &value[..value.find('"').unwrap_or(value.len())];
        if let Some(a) = super::util::clean_address(value)
            && a.contains('@')
            && !out.contains(&a)
        {
            out.push(a);
        }
    }
    out
}

/// Amazon SES bounce/complaint/delivery notifications (directly or wrapped in
/// an SNS envelope).
pub fn read_ses_json(body: &str) -> Option<(MessageKind, Vec<RecipientReport>)> {
    if !body.contains("notificationType") && !body.contains("eventType") {
        return None;
    }
    let Some(v) = first_json(body) else {
        // A notice we cannot read whole: name only what its bounced list names.
        let found = bounced_addresses_in_broken_json(body);
        let reports = found
            .into_iter()
            .map(|a| RecipientReport::new(a, Action::Failed, None, None, None, Reason::Undefined))
            .collect();
        return body
            .contains("\"bouncedRecipients\"")
            .then_some((MessageKind::Bounce, reports));
    };
    let n = super::ses::open(&v).ok()?;
    let kind = n.kind()?.to_ascii_lowercase();
    let s = super::ses::text_of;
    let list = super::ses::list;
    match kind.as_str() {
        "bounce" => Some((MessageKind::Bounce, ses_bounced(n.part("bounce")?)?)),
        "complaint" => {
            let c = n.part("complaint")?;
            let ftype = s(c, "complaintFeedbackType").unwrap_or_else(|| "abuse".to_string());
            let mut out = Vec::new();
            for r in list(c, "complainedRecipients").into_iter().flatten() {
                if let Some(addr) =
                    s(r, "emailAddress").and_then(|a| super::util::clean_address(&a))
                {
                    out.push(RecipientReport::new(
                        addr,
                        Action::Delivered,
                        None,
                        None,
                        None,
                        Reason::Feedback,
                    ));
                }
            }
            Some((
                MessageKind::Feedback {
                    feedback_type: ftype.to_ascii_lowercase(),
                },
                out,
            ))
        }
        "delivery" => Some((MessageKind::Bounce, ses_delivered(n.part("delivery")?))),
        _ => None,
    }
}

/// The reports of an SES bounce notification's `bounce` part (None when it has no list).
fn ses_bounced(b: &serde_json::Value) -> Option<Vec<RecipientReport>> {
    let s = super::ses::text_of;
    let subtype = s(b, "bounceSubType")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut out = Vec::new();
    for r in super::ses::list(b, "bouncedRecipients")? {
        let Some(addr) = s(r, "emailAddress").and_then(|a| super::util::clean_address(&a)) else {
            continue;
        };
        let diag = squeeze(&s(r, "diagnosticCode").unwrap_or_default());
        let status = s(r, "status")
            .and_then(|x| find_status(&x))
            .or_else(|| find_status(&diag));
        let reply = find_reply_code(&diag);
        // SES sends a bounce notification once it has stopped trying (a transient
        // bounce type is a soft bounce, not a delay).
        let action = Action::Failed;
        let mut reason = decide(&diag, None, status.as_deref(), reply.as_deref(), action);
        if matches!(reason, Reason::OnHold | Reason::Undefined) {
            reason = match subtype.as_str() {
                "noemail" => Reason::UserUnknown,
                "mailboxfull" => Reason::MailboxFull,
                "messagetoolarge" => Reason::MesgTooBig,
                "contentrejected" | "attachmentrejected" => Reason::ContentError,
                "suppressed" | "onaccountsuppressionlist" => Reason::Suspend,
                _ => reason,
            };
        }
        let diagnostic = if diag.is_empty() { None } else { Some(diag) };
        out.push(RecipientReport::new(
            addr, action, status, reply, diagnostic, reason,
        ));
    }
    Some(out)
}

/// The reports of an SES delivery notification's `delivery` part.
fn ses_delivered(d: &serde_json::Value) -> Vec<RecipientReport> {
    let smtp = super::ses::text_of(d, "smtpResponse").unwrap_or_default();
    let mut out = Vec::new();
    for r in super::ses::list(d, "recipients").into_iter().flatten() {
        if let Some(addr) = r.as_str().and_then(super::util::clean_address) {
            out.push(RecipientReport::new(
                addr,
                Action::Delivered,
                find_status(&smtp),
                find_reply_code(&smtp),
                Some(smtp.clone()).filter(|x| !x.is_empty()),
                Reason::Delivered,
            ));
        }
    }
    out
}
