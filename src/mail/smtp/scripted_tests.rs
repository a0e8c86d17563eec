//! The SMTP client against an in-process scripted server on loopback: each reply the server
//! gives, at each step, and what the client makes of it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::extension::ClientId;

use super::{Smtp, SmtpSettings};
use crate::config::Security;
use crate::mail::compose::Outgoing;
use crate::mail::transport::{Transport, Try};

/// What the scripted server answers; `None` is the usual positive reply.
#[derive(Clone, Default)]
struct Script {
    pipelining: bool,
    /// Offer DSN (RFC 3461).
    dsn: bool,
    mail: Option<&'static str>,
    /// The reply to the n-th RCPT of the whole run (over every connection).
    rcpt: Vec<Option<&'static str>>,
    /// The reply to the n-th end of data.
    data_end: Vec<Option<&'static str>>,
    /// Never answer an end of data.
    silent_after_data: bool,
}

#[derive(Default)]
struct Log {
    connections: usize,
    rcpts: usize,
    messages: Vec<String>,
    commands: Vec<String>,
}

/// Start the server; its address and what it saw.
fn serve(script: Script) -> (u16, Arc<Mutex<Log>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let log = Arc::new(Mutex::new(Log::default()));
    let shared = Arc::clone(&log);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let (script, log) = (script.clone(), Arc::clone(&shared));
            std::thread::spawn(move || session(stream, &script, &log));
        }
    });
    (port, log)
}

fn session(stream: TcpStream, script: &Script, log: &Mutex<Log>) {
    log.lock().unwrap().connections += 1;
    let mut out = stream.try_clone().expect("clone");
    let mut input = BufReader::new(stream);
    let mut say = |text: &str| out.write_all(format!("{text}\r\n").as_bytes()).is_ok();
    if !say("220 scripted ESMTP") {
        return;
    }
    let mut line = String::new();
    // Whether the open transaction has a recipient (RFC 2920: DATA without one is refused).
    let mut recipient = false;
    loop {
        line.clear();
        if input.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_string();
        log.lock().unwrap().commands.push(command.clone());
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" => format!(
                "250-scripted\r\n{}{}250 8BITMIME",
                if script.pipelining {
                    "250-PIPELINING\r\n"
                } else {
                    ""
                },
                if script.dsn { "250-DSN\r\n" } else { "" }
            ),
            "MAIL" => {
                recipient = false;
                script.mail.unwrap_or("250 2.1.0 Ok").to_string()
            }
            "RCPT" => {
                let mut l = log.lock().unwrap();
                l.rcpts += 1;
                let n = l.rcpts - 1;
                let reply = script
                    .rcpt
                    .get(n)
                    .copied()
                    .flatten()
                    .unwrap_or("250 2.1.5 Ok");
                recipient |= reply.starts_with('2');
                reply.to_string()
            }
            "DATA" if !recipient => "554 5.5.1 Error: no valid recipients".into(),
            "DATA" => {
                recipient = false;
                if !say("354 End data with <CR><LF>.<CR><LF>") {
                    return;
                }
                let Some(message) = read_data(&mut input) else {
                    return;
                };
                let n = {
                    let mut l = log.lock().unwrap();
                    l.messages.push(message);
                    l.messages.len() - 1
                };
                if script.silent_after_data {
                    std::thread::sleep(Duration::from_secs(30));
                    return;
                }
                let queued = format!("250 2.0.0 Ok: queued as Q{n}");
                script
                    .data_end
                    .get(n)
                    .copied()
                    .flatten()
                    .map_or(queued, str::to_string)
            }
            "RSET" => {
                recipient = false;
                "250 2.0.0 Ok".into()
            }
            "NOOP" => "250 2.0.0 Ok".into(),
            "QUIT" => {
                say("221 2.0.0 Bye");
                return;
            }
            _ => "502 5.5.2 Error: command not recognized".into(),
        };
        if !say(&reply) {
            return;
        }
    }
}

/// The message text up to the lone dot, with the dots of dot-stuffing removed.
fn read_data(input: &mut BufReader<TcpStream>) -> Option<String> {
    let mut message = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == ".\r\n" {
            return Some(message);
        }
        message.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

fn client(port: u16, timeout: Duration) -> Smtp {
    client_asking(port, timeout, crate::config::Dsn::Success)
}

fn client_asking(port: u16, timeout: Duration, dsn: crate::config::Dsn) -> Smtp {
    Smtp::new(SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        credentials: None,
        timeout,
        hello: ClientId::Domain("client.test".into()),
        dsn,
    })
}

fn message(n: usize, body: &str) -> Outgoing {
    let to = format!("r{n}@example.org");
    Outgoing {
        recipient_id: n as i64,
        email: to.clone(),
        send_id: format!("send{n}"),
        message_id: format!("m{n}@certstat.test"),
        envelope: Envelope::new(
            Some("bounces@certstat.test".parse().unwrap()),
            vec![to.parse().unwrap()],
        )
        .unwrap(),
        bytes: format!("Subject: {n}\r\n\r\n{body}\r\n").into_bytes(),
    }
}

/// Send `count` messages through one client, each with the next one as `next` (what the
/// engine does), and give every outcome.
fn send_all(script: Script, count: usize) -> (Vec<Try>, Arc<Mutex<Log>>) {
    let (port, log) = serve(script);
    let mut smtp = client(port, Duration::from_secs(5));
    let messages: Vec<Outgoing> = (0..count).map(|n| message(n, "Hello.")).collect();
    let outcomes = (0..count)
        .map(|n| smtp.try_send(&messages[n], messages.get(n + 1)))
        .collect();
    smtp.close();
    (outcomes, log)
}

#[test]
fn accepted_messages_with_and_without_pipelining_arrive_whole_on_one_connection() {
    for pipelining in [false, true] {
        let (outcomes, log) = send_all(
            Script {
                pipelining,
                ..Script::default()
            },
            5,
        );
        for (n, o) in outcomes.iter().enumerate() {
            match o {
                Try::Accepted(reply) => assert_eq!(reply, &format!("250 2.0.0 Ok: queued as Q{n}")),
                other => panic!("pipelining {pipelining}, message {n}: {other:?}"),
            }
        }
        let log = log.lock().unwrap();
        assert_eq!(log.connections, 1, "pipelining {pipelining}");
        assert_eq!(log.messages.len(), 5);
        assert!(log.messages[3].contains("Subject: 3\r\n\r\nHello.\r\n"));
    }
}

#[test]
fn a_leading_dot_survives_the_trip() {
    let (port, log) = serve(Script::default());
    let mut smtp = client(port, Duration::from_secs(5));
    let m = message(0, ".\r\n..two\r\n.three");
    assert!(matches!(smtp.try_send(&m, None), Try::Accepted(_)));
    smtp.close();
    assert!(log.lock().unwrap().messages[0].ends_with("\r\n.\r\n..two\r\n.three\r\n"));
}

#[test]
fn each_refusal_at_rcpt_is_that_recipients_outcome_and_the_run_goes_on() {
    for pipelining in [false, true] {
        let (outcomes, log) = send_all(
            Script {
                pipelining,
                rcpt: vec![
                    Some("550 5.1.1 <r0@example.org>: Recipient address rejected: User unknown"),
                    Some("552 5.2.2 <r1@example.org>: Mailbox full"),
                    Some("451 4.3.0 Temporary lookup failure"),
                    None,
                ],
                ..Script::default()
            },
            4,
        );
        let what: Vec<String> = outcomes
            .iter()
            .map(|o| match o {
                Try::Refused {
                    status,
                    hard,
                    phase,
                    ..
                } => format!("refused {status} {phase} hard={hard}"),
                Try::Temporary(e) => format!("temporary {e}"),
                Try::Accepted(_) => "accepted".into(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            what,
            [
                "refused 5.1.1 rcpt hard=true",
                "refused 5.2.2 rcpt hard=false",
                "temporary RCPT TO: 451 4.3.0 Temporary lookup failure",
                "accepted",
            ],
            "pipelining {pipelining}"
        );
        let log = log.lock().unwrap();
        assert_eq!(
            log.messages.len(),
            1,
            "only the accepted recipient's data is sent"
        );
        assert_eq!(
            log.connections, 1,
            "refusals reset the transaction, not the connection: {:?}",
            log.commands
        );
    }
}

#[test]
fn too_many_recipients_this_session_is_answered_with_a_new_session() {
    let (port, log) = serve(Script {
        pipelining: true,
        rcpt: vec![None, Some("452 4.5.3 Error: too many recipients")],
        ..Script::default()
    });
    let mut smtp = client(port, Duration::from_secs(5));
    let (a, b) = (message(0, "a"), message(1, "b"));
    assert!(matches!(smtp.try_send(&a, Some(&b)), Try::Accepted(_)));
    assert!(matches!(smtp.try_send(&b, None), Try::Temporary(e) if e.contains("452")));
    assert!(
        matches!(smtp.try_send(&b, None), Try::Accepted(_)),
        "retried"
    );
    smtp.close();
    assert_eq!(log.lock().unwrap().connections, 2);
}

#[test]
fn sender_side_refusals_stop_the_run_recipient_side_ones_bounce() {
    for (reply, sender_side) in [
        ("554 5.7.1 Message rejected: content looks like spam", true),
        (
            "550 5.7.26 Unauthenticated email from this domain is not accepted",
            true,
        ),
        (
            "552 5.3.4 Message size exceeds fixed maximum message size",
            false,
        ),
        (
            "550 5.1.1 The email account that you tried to reach does not exist",
            false,
        ),
    ] {
        let (outcomes, _) = send_all(
            Script {
                pipelining: true,
                data_end: vec![Some(reply)],
                ..Script::default()
            },
            2,
        );
        match &outcomes[0] {
            Try::Fatal(why) if sender_side => {
                assert!(why.contains(reply) && why.contains("sending side"), "{why}")
            }
            Try::Refused { phase, reason, .. } if !sender_side => {
                assert_eq!((*phase, reason.as_str()), ("data", reply))
            }
            other => panic!("{reply}: {other:?}"),
        }
        assert!(
            matches!(outcomes[1], Try::Accepted(_)),
            "{reply}: the next message on the same connection: {:?}",
            outcomes[1]
        );
    }
}

#[test]
fn a_refused_sender_stops_the_run() {
    let (outcomes, _) = send_all(
        Script {
            mail: Some("553 5.7.1 <bounces@certstat.test>: Sender address rejected: not owned"),
            ..Script::default()
        },
        1,
    );
    assert!(
        matches!(&outcomes[0], Try::Fatal(why) if why.contains("refused the sender") && why.contains("553")),
        "{:?}",
        outcomes[0]
    );
}

#[test]
fn no_reply_after_the_data_leaves_the_message_unconfirmed() {
    let (port, log) = serve(Script {
        silent_after_data: true,
        ..Script::default()
    });
    let mut smtp = client(port, Duration::from_millis(500));
    let started = std::time::Instant::now();
    match smtp.try_send(&message(0, "x"), None) {
        Try::Unknown(why) => assert!(why.contains("no reply within"), "{why}"),
        other => panic!("{other:?}"),
    }
    smtp.close();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "one wait, not one per step"
    );
    assert_eq!(log.lock().unwrap().messages.len(), 1);
}

#[test]
fn a_server_that_is_not_there_is_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let mut smtp = client(port, Duration::from_secs(2));
    assert!(
        matches!(smtp.try_send(&message(0, "x"), None), Try::Unreachable(e) if e.contains("cannot connect")),
    );
}

#[test]
fn delivery_reports_are_asked_for_as_configured_when_the_server_offers_dsn() {
    use crate::config::Dsn;
    for (offered, dsn, notify) in [
        (true, Dsn::Success, Some("NOTIFY=SUCCESS,FAILURE,DELAY")),
        (true, Dsn::Failure, Some("NOTIFY=FAILURE,DELAY")),
        (true, Dsn::Off, None),
        (false, Dsn::Success, None),
    ] {
        let (port, log) = serve(Script {
            dsn: offered,
            ..Script::default()
        });
        let mut smtp = client_asking(port, Duration::from_secs(5), dsn);
        assert!(matches!(
            smtp.try_send(&message(0, "x"), None),
            Try::Accepted(_)
        ));
        smtp.close();
        let log = log.lock().unwrap();
        let find = |verb: &str| {
            log.commands
                .iter()
                .find(|c| c.starts_with(verb))
                .cloned()
                .unwrap_or_default()
        };
        let (mail, rcpt) = (find("MAIL FROM"), find("RCPT TO"));
        let label = format!("offered {offered}, {dsn:?}");
        match notify {
            Some(n) => {
                assert!(rcpt.contains(n), "{label}: {rcpt}");
                assert!(
                    rcpt.contains("ORCPT=rfc822;r0@example.org"),
                    "{label}: {rcpt}"
                );
                assert!(
                    mail.contains("RET=HDRS") && mail.contains("ENVID=send0"),
                    "{label}: {mail}"
                );
            }
            None => assert!(
                !rcpt.contains("NOTIFY") && !mail.contains("RET="),
                "{label}: {mail} / {rcpt}"
            ),
        }
    }
}
