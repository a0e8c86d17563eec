use super::*;

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

const POSTFIX_EXPIRED: &str = "\
Return-Path: <>
Delivered-To: bounces+abc123@example.org
From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
To: bounces+abc123@example.org
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"
Message-Id: <20260101000000.1@mail.example.org>

--B1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<ana@example.net>: connect to mx.example.net[192.0.2.9]:25: Connection timed out

--B1
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org
X-Postfix-Queue-ID: 4ABCD
Arrival-Date: Thu,  1 Jan 2026 00:00:00 +0000

Final-Recipient: rfc822; Ana@Example.NET
Original-Recipient: rfc822;ana@example.net
Action: failed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.9]:25: Connection
    timed out

--B1
Content-Description: Undelivered Message
Content-Type: message/rfc822

Return-Path: <bounces+abc123@example.org>
From: Certificates <certs@example.org>
To: ana@example.net
Subject: Your certificate
Message-ID: <cert-1@example.org>
X-Certstat-Id: 42-abcdef

Hello.

--B1--
";

#[test]
fn postfix_failed_with_4xx_is_expired_not_hard() {
    let a = analyze(&crlf(POSTFIX_EXPIRED));
    assert_eq!(a.kind, MessageKind::Bounce);
    assert_eq!(a.recipients.len(), 1);
    let r = &a.recipients[0];
    assert_eq!(r.address, "ana@example.net");
    assert_eq!(r.original_address.as_deref(), Some("ana@example.net"));
    assert_eq!(r.action, Action::Failed);
    assert_eq!(r.status.as_deref(), Some("4.4.1"));
    assert_eq!(r.reason, Reason::Expired, "{r:?}");
    assert!(!r.hard);
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("connect to mx.example.net[192.0.2.9]:25: Connection timed out")
    );
}

#[test]
fn dsn_with_auto_submitted_is_still_a_bounce() {
    let a = analyze(POSTFIX_EXPIRED.as_bytes());
    assert_eq!(a.kind, MessageKind::Bounce);
    let hard = POSTFIX_EXPIRED
        .replace("Status: 4.4.1", "Status: 5.1.1")
        .replace(
            "Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.9]:25: Connection\n    timed out",
            "Diagnostic-Code: smtp; 550 5.1.1 <ana@example.net>: Recipient address\n    rejected: User unknown in virtual mailbox table",
        );
    assert!(hard.contains("User unknown in virtual"));
    let a = analyze(hard.as_bytes());
    assert_eq!(a.kind, MessageKind::Bounce);
    let r = &a.recipients[0];
    assert_eq!(r.reason, Reason::UserUnknown);
    assert!(r.hard);
    assert_eq!(r.reply_code.as_deref(), Some("550"));
    assert!(!r.sender_side);
}

#[test]
fn verp_address_in_to_addresses() {
    let a = analyze(POSTFIX_EXPIRED.as_bytes());
    assert!(
        a.to_addresses
            .contains(&"bounces+abc123@example.org".to_string()),
        "{:?}",
        a.to_addresses
    );
}

#[test]
fn certstat_id_from_message_rfc822() {
    let a = analyze(POSTFIX_EXPIRED.as_bytes());
    assert_eq!(a.certstat_ids, vec!["42-abcdef".to_string()]);
    assert_eq!(
        a.original_message_ids,
        vec!["cert-1@example.org".to_string()]
    );
}

#[test]
fn certstat_id_from_text_rfc822_headers() {
    let raw = POSTFIX_EXPIRED.replace(
        "Content-Type: message/rfc822",
        "Content-Type: text/rfc822-headers",
    );
    let raw = raw.replace("\nHello.\n", "\n");
    let a = analyze(raw.as_bytes());
    assert_eq!(a.kind, MessageKind::Bounce);
    assert_eq!(a.certstat_ids, vec!["42-abcdef".to_string()]);
    assert_eq!(
        a.original_message_ids,
        vec!["cert-1@example.org".to_string()]
    );
}

#[test]
fn certstat_id_from_inline_original() {
    let raw = "\
From: MAILER-DAEMON@mx.example.jp
To: bounces+t0k3n@example.org
Subject: failure notice

Hi. This is the qmail-send program at mx.example.jp.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<nobody@example.jp>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 <nobody@example.jp>: Recipient address rejected: User unknown
Giving up on 192.0.2.1.

--- Below this line is a copy of the message.

Return-Path: <bounces+t0k3n@example.org>
Message-ID: <m-77@example.org>
X-Certstat-Id: 7-xyz
To: nobody@example.jp

Hello
";
    let a = analyze(raw.as_bytes());
    assert_eq!(a.kind, MessageKind::Bounce);
    assert_eq!(a.recipients.len(), 1);
    assert_eq!(a.recipients[0].address, "nobody@example.jp");
    assert_eq!(a.recipients[0].reason, Reason::UserUnknown);
    assert!(a.recipients[0].hard);
    assert_eq!(a.certstat_ids, vec!["7-xyz".to_string()]);
    assert_eq!(a.original_message_ids, vec!["m-77@example.org".to_string()]);
    assert!(
        a.to_addresses
            .contains(&"bounces+t0k3n@example.org".to_string())
    );
}

#[test]
fn out_of_office_is_auto_reply() {
    let raw = "\
From: Ana <ana@example.net>
To: certs@example.org
Subject: Abwesenheitsnotiz: Your certificate
Auto-Submitted: auto-replied

Ich bin bis Montag nicht im Büro.
";
    let a = analyze(raw.as_bytes());
    assert_eq!(a.kind, MessageKind::AutoReply);
    assert_eq!(a.recipients[0].address, "ana@example.net");
    assert_eq!(a.recipients[0].reason, Reason::Vacation);
    assert!(!a.recipients[0].hard);
}

#[test]
fn plain_mail_is_not_a_bounce() {
    let raw = "From: a@example.org\nTo: b@example.org\nSubject: hello\n\nJust saying hi.\n";
    let a = analyze(raw.as_bytes());
    assert_eq!(a.kind, MessageKind::NotBounce);
    assert!(a.recipients.is_empty());
}

#[test]
fn garbage_does_not_panic() {
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\0\0\0\xff\xfe".to_vec(),
        b"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: ;\nAction:\nStatus: 5.\n".to_vec(),
        b"From: MAILER-DAEMON\nSubject: failure notice\n\n@@@ <@> a@ @b 5.5.5.5.5 550-".to_vec(),
        b"Content-Type: message/rfc822\n\n".to_vec(),
        b"Content-Type: text/plain\n\n{\"notificationType\":\"Bounce\",\"bounce\":{}}".to_vec(),
    ];
    // Truncations of a real-looking DSN at every length.
    let dsn = POSTFIX_EXPIRED.as_bytes();
    for n in (0..dsn.len()).step_by(7) {
        inputs.push(dsn[..n].to_vec());
    }
    // Pseudo-random bytes.
    let mut x: u32 = 12345;
    for len in [1usize, 10, 100, 1000, 5000] {
        let mut v = Vec::with_capacity(len);
        for _ in 0..len {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            v.push((x >> 16) as u8);
        }
        inputs.push(v);
    }
    for input in inputs {
        let _ = analyze(&input);
    }
}

#[test]
fn vendor_auto_reply_headers_and_subjects() {
    for (header, subject) in [
        ("X-Autorespond: yes", "Re: Your certificate"),
        ("Precedence: auto_reply", "Re: Your certificate"),
        ("X-Autoreply: yes", "Re: Your certificate"),
        ("X-Mailer: test", "Out of Office: Your certificate"),
        ("X-Mailer: test", "Automatic reply: Your certificate"),
    ] {
        let raw = format!(
            "From: bo@example.net\nTo: certs@example.org\nSubject: {subject}\n{header}\n\nAway.\n"
        );
        assert_eq!(
            analyze(raw.as_bytes()).kind,
            MessageKind::AutoReply,
            "{header} / {subject}"
        );
    }
    let raw = "From: bo@example.net\nTo: certs@example.org\nSubject: Photos from my vacation\n\nSee attached.\n";
    assert_eq!(analyze(raw.as_bytes()).kind, MessageKind::NotBounce);
}

#[test]
fn success_dsn_is_delivered() {
    let raw = POSTFIX_EXPIRED
        .replace("Action: failed", "Action: delivered")
        .replace("Status: 4.4.1", "Status: 2.0.0");
    let a = analyze(raw.as_bytes());
    assert_eq!(a.kind, MessageKind::Bounce);
    assert_eq!(a.recipients[0].action, Action::Delivered);
    assert_eq!(a.recipients[0].reason, Reason::Delivered);
    assert!(!a.recipients[0].hard);
}

#[test]
fn html_tags_are_matched_in_any_case_and_entities_decoded() {
    assert_eq!(
        crate::markup::html_to_text("<BR>a&amp;b<P>c</TD>d<Li>&lt;x&gt;<brX>é</Div>"),
        "\na&b\nc d\n<x>\né\n"
    );
    assert_eq!(
        crate::markup::html_to_text("<b>plain</b> text"),
        "plain text"
    );
}

#[test]
fn a_folded_dkim_field_list_in_a_returned_original_is_not_read_as_its_fields() {
    // The original's signature lists the signed fields, folded so that a line starts with
    // `x-certstat-id:` and one with `message-id:`; only the real fields count.
    let raw = "From: MAILER-DAEMON@mx.example.net\r\n\
To: bounces@certs.example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain\r\n\
\r\n\
I'm sorry to have to inform you that your message could not be delivered.\r\n\
\r\n\
--b1\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.example.net\r\n\
\r\n\
Final-Recipient: rfc822; ana@example.net\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <ana@example.net>: Recipient address rejected: User unknown\r\n\
\r\n\
--b1\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
DKIM-Signature: v=1; a=rsa-sha256; d=certs.example.org; s=s1; h=from:to:subject:\r\n\
\tx-certstat-id:\r\n\
\tmessage-id:date; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\
\tb=dGVzdA==\r\n\
From: Certificates <certs@certs.example.org>\r\n\
To: ana@example.net\r\n\
Subject: Your certificate\r\n\
X-Certstat-Id: 7f3a9c\r\n\
Message-ID: <m1@certs.example.org>\r\n\
\r\n\
Hello.\r\n\
--b1--\r\n";
    let a = analyze(raw.as_bytes());
    assert_eq!(a.kind, MessageKind::Bounce);
    assert_eq!(a.certstat_ids, ["7f3a9c"]);
    assert_eq!(a.original_message_ids, ["m1@certs.example.org"]);
}

/// The same reports with LF, CRLF and CR-only line endings read the same.
#[test]
fn cr_lf_and_crlf_line_endings_read_alike() {
    for text in [POSTFIX_EXPIRED] {
        let lf = analyze(text.as_bytes());
        assert_eq!(lf.kind, MessageKind::Bounce);
        assert!(!lf.recipients.is_empty());
        for raw in [crlf(text), text.replace('\n', "\r").into_bytes()] {
            let a = analyze(&raw);
            assert_eq!(a.kind, lf.kind);
            assert_eq!(a.recipients.len(), lf.recipients.len());
            for (x, y) in a.recipients.iter().zip(&lf.recipients) {
                assert_eq!(
                    (&x.address, x.action, &x.status, x.reason, x.hard),
                    (&y.address, y.action, &y.status, y.reason, y.hard)
                );
                assert_eq!(x.diagnostic, y.diagnostic);
            }
        }
    }
}

// ------------------------------------------------------------- classes from the probe

/// A non-DSN message from `from` with `subject` and a plain-text `body`.
fn plain_msg(from: &str, subject: &str, extra: &str, body: &str) -> Analysis {
    let raw = format!(
        "From: {from}\nTo: bounces@acme.example\nSubject: {subject}\n{extra}MIME-Version: 1.0\n\
         Content-Type: text/plain; charset=utf-8\n\n{body}"
    );
    analyze(raw.as_bytes())
}

/// A Postfix-style DSN for one recipient.
fn dsn_msg(rcpt: &str, action: &str, status: &str, diag: &str) -> Analysis {
    let raw = format!(
        "From: MAILER-DAEMON@mail.acme.example (Mail Delivery System)\n\
To: bounces@acme.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\n\
Content-Type: text/plain\n\nThis is the mail system at host mail.acme.example.\n\n\
<{rcpt}>: host mx.example.net said: {diag}\n\n--B\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; mail.acme.example\n\nFinal-Recipient: rfc822; {rcpt}\nAction: {action}\n\
Status: {status}\nDiagnostic-Code: smtp; {diag}\n\n--B--\n"
    );
    analyze(raw.as_bytes())
}

fn only(a: &Analysis) -> &RecipientReport {
    assert_eq!(a.kind, MessageKind::Bounce, "{a:?}");
    assert_eq!(a.recipients.len(), 1, "{a:?}");
    &a.recipients[0]
}

const DAEMON: &str = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>";

#[test]
fn plain_text_delay_notices_keep_the_recipient_pending() {
    let shapes = [
        (
            "Delivery Status Notification (Delay)",
            "** Message not delivered yet **\n\nThere was a temporary problem delivering your \
             message to ana@example.net. Gmail will retry for 46 more hours. You'll be notified \
             if the delivery fails permanently.\n\nThe response from the remote server was:\n\
             421 4.7.0 Try again later, closing connection.\n",
        ),
        (
            "Delivery incomplete",
            "There was a temporary problem delivering your message to ana@example.net.\n\
             We will keep trying; you will be told if it fails permanently.\n",
        ),
        (
            "Warning: could not send message for past 4 hours",
            "    **********************************************\n\
             **      THIS IS A WARNING MESSAGE ONLY      **\n\
             **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n\
             **********************************************\n\n\
             The original message was received at Thu, 3 Dec 2026 08:00:00 GMT\n\n\
             ----- Transcript of session follows -----\n\
             <ana@example.net>... Deferred: Connection timed out with mx.example.net.\n\
             Warning: message still undelivered after 4 hours\n\
             Will keep trying until message is 5 days old\n",
        ),
        (
            "Mail delivery delayed",
            "This message was created automatically by mail delivery software.\n\
             A message that you sent has not yet been delivered to one or more of its\n\
             recipients after more than 24 hours on the queue.\n\n  ana@example.net\n    \
             Delay reason: mailbox is full\n\nNo action is required on your part.\n",
        ),
    ];
    for (subject, body) in shapes {
        let a = plain_msg(DAEMON, subject, "", body);
        let r = only(&a);
        assert_eq!(r.address, "ana@example.net", "{subject}");
        assert_eq!(r.action, Action::Delayed, "{subject}: {r:?}");
        assert!(!r.hard, "{subject}");
    }
    // One that says it gave up is a bounce, even with a delay-like word in it.
    let a = plain_msg(
        DAEMON,
        "failure notice",
        "",
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n\
         This is a permanent error; I've given up. Sorry it didn't work out.\n\n\
         <ana@example.net>:\n550 5.1.1 user unknown, will retry never\n",
    );
    let r = only(&a);
    assert_eq!(r.action, Action::Failed, "{r:?}");
    assert!(r.hard);
    // A DSN's Action: delayed is a delay whatever the text.
    let a = dsn_msg(
        "ana@example.net",
        "delayed",
        "4.4.1",
        "connect to mx: Connection refused",
    );
    assert_eq!(only(&a).action, Action::Delayed);
}

#[test]
fn the_server_words_keep_the_address_they_name() {
    let a = plain_msg(
        DAEMON,
        "Delivery Status Notification (Failure)",
        "",
        "** Address not found **\n\nYour message wasn't delivered to ana@example.net because the \
         address couldn't be found, or is unable to receive mail.\n",
    );
    let r = only(&a);
    assert_eq!(r.reason, Reason::UserUnknown, "{r:?}");
    let d = r.diagnostic.as_deref().unwrap_or("");
    assert!(d.contains("delivered to ana@example.net because"), "{d}");
    let a = plain_msg(
        DAEMON,
        "Delivery Status Notification (Delay)",
        "",
        "There was a temporary problem delivering your message to ana@example.net. Gmail will \
         retry for 46 more hours.\n",
    );
    let d = only(&a).diagnostic.clone().unwrap_or_default();
    assert!(
        d.contains("your message to ana@example.net. Gmail will retry"),
        "{d}"
    );
}

#[test]
fn an_unclassifiable_failure_needs_review() {
    let shapes = [
        plain_msg(
            "MAILER-DAEMON@mx.example.net",
            "Undelivered Mail Returned to Sender",
            "",
            "I'm sorry to have to inform you that your message could not be delivered.\n\n\
             <ana@example.net>: the frobnicator declined the parcel\n",
        ),
        dsn_msg(
            "ana@example.net",
            "failed",
            "5.9.9",
            "the frobnicator declined the parcel",
        ),
        plain_msg(
            "MAILER-DAEMON@mx.example.net",
            "Недоставленное сообщение",
            "",
            "Ваше сообщение не доставлено.\n\nАдресат: ana@example.net\nПричина: сервер сказал нет\n",
        ),
    ];
    for a in &shapes {
        let r = only(a);
        assert_eq!(r.action, Action::Failed, "{r:?}");
        assert!(r.needs_review, "{r:?}");
        assert!(
            matches!(r.reason, Reason::OnHold | Reason::Undefined),
            "{r:?}"
        );
    }
    // A classified one does not.
    let a = dsn_msg(
        "ana@example.net",
        "failed",
        "5.1.1",
        "550 5.1.1 User unknown",
    );
    assert!(!only(&a).needs_review);
    // Russian "mailbox full" without a code is a full mailbox.
    let a = plain_msg(
        "MAILER-DAEMON@mail-ru.example",
        "Недоставленное сообщение",
        "",
        "Ваше сообщение не доставлено.\n\nАдресат: ana@example.net\nПричина: почтовый ящик переполнен\n",
    );
    let r = only(&a);
    assert_eq!(r.reason, Reason::MailboxFull, "{r:?}");
    assert!(!r.needs_review && !r.hard);
}

#[test]
fn a_disabled_account_refused_for_good_is_hard_and_a_suspended_one_soft() {
    for (status, diag) in [
        (
            "5.2.1",
            "550 5.2.1 The email account that you tried to reach is disabled.",
        ),
        (
            "5.2.1",
            "550 5.2.1 <ana@example.net>: account has been deactivated",
        ),
        ("5.0.0", "550 Account disabled by the administrator"),
        ("5.2.1", "550 5.2.1 This mailbox is disabled"),
    ] {
        let r = dsn_msg("ana@example.net", "failed", status, diag).recipients[0].clone();
        assert_eq!(r.reason, Reason::Suspend, "{diag}: {r:?}");
        assert!(r.hard, "{diag}: {r:?}");
    }
    for (status, diag) in [
        (
            "5.2.1",
            "550 5.2.1 mailbox temporarily disabled, account suspended for non-payment",
        ),
        ("5.2.1", "550 5.2.1 account suspended"),
        (
            "4.2.1",
            "450 4.2.1 The account is disabled, try again later",
        ),
    ] {
        let a = dsn_msg("ana@example.net", "failed", status, diag);
        let r = only(&a);
        assert_eq!(r.reason, Reason::Suspend, "{diag}: {r:?}");
        assert!(!r.hard, "{diag}: {r:?}");
    }
}

#[test]
fn spam_content_and_rate_limit_rejections_are_about_the_sender() {
    for (status, diag, want) in [
        (
            "5.7.1",
            "550 5.7.1 Message rejected as spam by Content Filtering (score 12.3)",
            Reason::SpamDetected,
        ),
        (
            "5.7.1",
            "550-5.7.1 [203.0.113.5 12] Our system has detected that this message is 550-5.7.1 \
             likely unsolicited mail. To reduce the amount of spam sent to Gmail, 550-5.7.1 this \
             message has been blocked.",
            Reason::SpamDetected,
        ),
        (
            "5.7.1",
            "554 5.7.1 Message considered spam by the content filter",
            Reason::SpamDetected,
        ),
        (
            "4.7.28",
            "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating \
             421-4.7.28 from your IP address. To protect our users from spam, mail sent from \
             421-4.7.28 your IP address has been temporarily rate limited.",
            Reason::Speeding,
        ),
        (
            "4.7.0",
            "421 4.7.0 Sending rate exceeded for your IP address, blocked for 1 hour",
            Reason::Speeding,
        ),
    ] {
        let a = dsn_msg("ana@example.net", "failed", status, diag);
        let r = only(&a);
        assert_eq!(r.reason, want, "{diag}: {r:?}");
        assert!(r.sender_side && !r.hard, "{diag}: {r:?}");
    }
}

#[test]
fn o365_access_denied_as_201806281_is_an_unknown_recipient() {
    let diag = "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) \
                [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]";
    let r = dsn_msg("ana@example.net", "failed", "5.4.1", diag).recipients[0].clone();
    assert_eq!(r.reason, Reason::UserUnknown, "{r:?}");
    assert!(r.hard);
    let a = plain_msg(
        "Microsoft Outlook <postmaster@fabrikam.example>",
        "Undeliverable: Your certificate",
        "",
        &format!(
            "Delivery has failed to these recipients or groups:\n\nana@example.net\nYour \
             message wasn't delivered because the recipient's email provider rejected it.\n\n\
             Remote Server returned '{diag}'\n"
        ),
    );
    let r = only(&a);
    assert_eq!(r.reason, Reason::UserUnknown, "{r:?}");
    assert!(r.hard);
}

#[test]
fn short_user_not_found_wordings_are_unknown_users() {
    for line in [
        "\tana@example.net (user not found)",
        "ana@example.net - No such user",
        "ana@example.net [Unknown user]",
        "  ana@example.net: user does not exist.",
    ] {
        let a = plain_msg(
            "postmaster@gw.example.gov",
            "Message status - undeliverable",
            "",
            &format!("The message that you sent was undeliverable to the following:\n{line}\n"),
        );
        let r = only(&a);
        assert_eq!(r.reason, Reason::UserUnknown, "{line}: {r:?}");
        assert!(r.hard, "{line}");
    }
}

#[test]
fn a_human_reply_quoting_a_bounce_is_not_a_bounce() {
    let head = "In-Reply-To: <01a23bcb@acme.example>\nReferences: <01a23bcb@acme.example>\n";
    for body in [
        "Hi, thanks for the certificate! I got it fine.\n\nMy colleague's address bounced:\n\n\
         > I'm sorry to have to inform you that your message could not\n\
         > be delivered to one or more recipients.\n\
         > <colleague@reply-co.example>: host mx said: 550 5.1.1 User unknown\n\nBest,\nHuman\n",
        "Thanks, got it!\n\nOn Thu, 3 Dec 2026, Mail Delivery System wrote:\n\
         This is the mail system. Your message could not be delivered.\n\
         <colleague@reply-co.example>: 550 5.1.1 User unknown\n",
        "Got it, thanks.\n\n-----Original Message-----\nFrom: MAILER-DAEMON\n\
         Delivery to the following recipient failed permanently:\n\
         colleague@reply-co.example\n",
    ] {
        let a = plain_msg(
            "Human <human48@reply-co.example>",
            "Re: Your certificate: Probe Cert",
            head,
            body,
        );
        assert_eq!(a.kind, MessageKind::NotBounce, "{body}: {a:?}");
        assert!(a.recipients.is_empty());
    }
    // The same text from a mail system is a bounce.
    let a = plain_msg(
        "MAILER-DAEMON@mx.reply-co.example",
        "Undelivered Mail Returned to Sender",
        "",
        "I'm sorry to have to inform you that your message could not be delivered.\n\n\
         <colleague@reply-co.example>: host mx said: 550 5.1.1 User unknown\n",
    );
    assert!(only(&a).hard);
}

#[test]
fn a_challenge_response_needs_review_and_is_never_delivered() {
    for (subject, body) in [
        (
            "Please verify your email address (was: Your certificate)",
            "Your message to ana@challenge.example has been held because the recipient uses a\n\
             challenge/response anti-spam system. Your message will not be delivered until you\n\
             verify that you are a human by clicking the link below:\n\n  https://c.example/v?id=1\n",
        ),
        (
            "Re: Your certificate",
            "Hello! I use a spam filter. To have your message delivered to me\n\
             (ana@challenge.example), please click the link below and confirm you are human.\n",
        ),
    ] {
        let a = plain_msg(
            "Spam Arrest <ana-verify@challenge.example>",
            subject,
            "Auto-Submitted: auto-replied\nIn-Reply-To: <01a23bcb@acme.example>\n",
            body,
        );
        let r = only(&a);
        assert_eq!(r.address, "ana@challenge.example", "{r:?}");
        assert_eq!(r.action, Action::Failed);
        assert!(r.needs_review && !r.hard && !r.sender_side, "{r:?}");
    }
}
