//! Flood control: repeated opens and clicks are one event with a count; the forms have rate
//! limits with a 429 page; neither can grow the log without bound.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{ANA, BJORN, CERT, Server, claim, claim_form, events, form, post_claim, setup, token};
use crate::common::Env;

const T0: &str = "2026-11-27T10:00:00Z";

/// The link events as (email, kind, machine, count, last), once the counts add up to `total`
/// (the fast path commits within milliseconds of the answer; waits at most 10 s).
fn links(env: &Env, total: i64) -> Vec<(String, String, bool, i64, Option<String>)> {
    let start = Instant::now();
    loop {
        let got: Vec<_> = events(env)
            .into_iter()
            .filter(|(_, kind, _)| kind == "opened" || kind == "clicked")
            .map(|(email, kind, d)| {
                (
                    email,
                    kind,
                    d["machine"].as_bool().unwrap(),
                    d["count"].as_i64().unwrap_or(1),
                    d["last"].as_str().map(str::to_owned),
                )
            })
            .collect();
        let sum: i64 = got.iter().map(|l| l.3).sum();
        if sum >= total || start.elapsed() > Duration::from_secs(10) {
            assert_eq!(sum, total, "every request counted: {got:?}");
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn at(minutes: i64) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(T0).unwrap() + chrono::TimeDelta::minutes(minutes);
    t.with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn hammer(server: &Server, path: &str, method: &str, n: usize, expect: u16) {
    for i in 0..n {
        let res = server.request(method, path, &[], None);
        assert_eq!(res.status, expect, "{method} {path} #{i}");
    }
}

/// Hundreds of opens and clicks from a client re-fetching or a scanner, interleaved across
/// recipients, kinds and machine flags, are one event per (recipient, kind, flag) with the
/// exact count; the window survives a restart, ends 10 minutes after its first event, and
/// ends early at any other event of the recipient (here a claim).
#[test]
fn repeated_opens_and_clicks_are_one_event_with_a_count() {
    let env = setup();
    let (ana, bjorn) = (token(&env, ANA), token(&env, BJORN));
    let server = Server::start_with(&env, &[], &[("CERTSTAT_NOW", T0)]);
    for _ in 0..5 {
        // GET without a user agent is a person's open; HEAD is a machine's.
        hammer(&server, &format!("/o/{ana}.gif"), "GET", 40, 200);
        hammer(&server, &format!("/o/{ana}.gif"), "HEAD", 6, 200);
        hammer(&server, &format!("/c/{ana}"), "GET", 10, 303);
        hammer(&server, &format!("/o/{bjorn}.gif"), "GET", 20, 200);
    }
    let got = links(&env, 380);
    let t0 = Some(T0.to_owned());
    assert_eq!(
        got,
        vec![
            (ANA.into(), "opened".into(), false, 200, t0.clone()),
            (ANA.into(), "opened".into(), true, 30, t0.clone()),
            (ANA.into(), "clicked".into(), false, 50, t0.clone()),
            (BJORN.into(), "opened".into(), false, 100, t0.clone()),
        ]
    );
    assert!(server.stop().0);

    // Five minutes later, a new process: still the same window.
    let server = Server::start_with(&env, &[], &[("CERTSTAT_NOW", &at(5))]);
    hammer(&server, &format!("/o/{ana}.gif"), "GET", 7, 200);
    let got = links(&env, 387);
    assert_eq!(
        got[0],
        (ANA.into(), "opened".into(), false, 207, Some(at(5)))
    );
    assert_eq!(got.len(), 4);
    assert!(server.stop().0);

    // Eleven minutes after the first: a new event.
    let server = Server::start_with(&env, &[], &[("CERTSTAT_NOW", &at(11))]);
    hammer(&server, &format!("/o/{ana}.gif"), "GET", 4, 200);
    let got = links(&env, 391);
    assert_eq!(got.len(), 5);
    assert_eq!(
        got[4],
        (ANA.into(), "opened".into(), false, 4, Some(at(11)))
    );

    // A claim comes between: the next open is a new event, so the log keeps its order.
    claim(&server, &ana, ANA);
    hammer(&server, &format!("/o/{ana}.gif"), "GET", 3, 200);
    let got = links(&env, 394);
    assert_eq!(got.len(), 6);
    assert_eq!(got[5].3, 3);
    let kinds: Vec<String> = events(&env).into_iter().map(|e| e.1).collect();
    assert_eq!(
        kinds,
        [
            "opened", "opened", "clicked", "opened", "opened", "claimed", "opened"
        ]
    );
    assert_eq!(super::status(&env, ANA), "claimed");
    assert!(server.stop().0);
}

fn is_too_many(res: &super::Resp, most_secs: u64) {
    assert_eq!(res.status, 429, "{}", res.text());
    let retry: u64 = res
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=most_secs).contains(&retry), "Retry-After {retry}");
    let text = res.text();
    assert!(
        text.contains("Too many attempts") && text.contains("Nothing was changed"),
        "{text}"
    );
}

/// Claim posts over the per-recipient limit (10 in a burst) or the per-client limit (20) are
/// answered 429 with Retry-After before anything is compared or recorded: even the right
/// address does not claim, and the log stays empty.
#[test]
fn claim_posts_over_the_limits_get_429_and_record_nothing() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let ana = token(&env, ANA);
    let (cookie, csrf) = claim_form(&server, &ana);
    for i in 0..10 {
        let res = post_claim(&server, &ana, &cookie, "forged", ANA);
        assert_eq!(res.status, 403, "post {i}: {}", res.text());
    }
    is_too_many(&post_claim(&server, &ana, &cookie, &csrf, ANA), 6);
    assert!(events(&env).is_empty(), "{:?}", events(&env));
    assert_eq!(super::status(&env, ANA), "not_sent");
    assert!(server.stop().0);

    // The client limit: four posts for each of five recipients, then any recipient is refused.
    let server = Server::start(&env, &[]);
    let recipients: Vec<String> = env
        .recipients(CERT)
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recipients.len(), 5);
    for email in &recipients {
        let t = token(&env, email);
        for _ in 0..4 {
            assert_eq!(post_claim(&server, &t, "", "forged", email).status, 403);
        }
    }
    let bjorn = token(&env, BJORN);
    let (cookie, csrf) = claim_form(&server, &bjorn);
    is_too_many(&post_claim(&server, &bjorn, &cookie, &csrf, BJORN), 3);
    // A malformed body is refused the same way: the limit comes first.
    let res = server.request(
        "POST",
        &format!("/r/{bjorn}"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("%%%"),
    );
    is_too_many(&res, 3);
    // Behind a reverse proxy on loopback, the client is the address the proxy forwards: each
    // has its own allowance (a client's own X-Forwarded-For entries before it are ignored).
    for client in ["203.0.113.9", "1.2.3.4, 203.0.113.10"] {
        let res = server.request(
            "POST",
            &format!("/r/{bjorn}"),
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Forwarded-For", client),
            ],
            Some(&form(&[("email", BJORN), ("csrf", "forged")])),
        );
        assert_eq!(res.status, 403, "{client}: {}", res.text());
    }
    assert!(events(&env).is_empty(), "{:?}", events(&env));
    assert!(server.stop().0);
}

/// The one-click unsubscribe is limited per recipient (a burst of 10) and `/lost` per client
/// (20): past that, 429 and nothing recorded.
#[test]
fn unsubscribe_and_lost_link_posts_over_the_limits_get_429() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let ana = token(&env, ANA);
    let unsubscribe = |body: &str| {
        server.request(
            "POST",
            &format!("/u/{ana}"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(body),
        )
    };
    for i in 0..10 {
        assert_eq!(unsubscribe("List-Unsubscribe=One-Click").status, 200, "{i}");
    }
    is_too_many(&unsubscribe("List-Unsubscribe=One-Click"), 6);
    let unsubscribed = events(&env)
        .iter()
        .filter(|e| e.1 == "unsubscribed")
        .count();
    assert_eq!(unsubscribed, 10);
    // Another recipient is not affected.
    let bjorn = token(&env, BJORN);
    let res = server.request(
        "POST",
        &format!("/u/{bjorn}"),
        &[],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(res.status, 200);

    let lost = |email: &str| {
        server.request(
            "POST",
            "/lost",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(&form(&[("email", email)])),
        )
    };
    // Without the form's CSRF token each gets the form again (403); they count all the same.
    for i in 0..20 {
        assert_eq!(lost(&format!("nobody{i}@example.org")).status, 403, "{i}");
    }
    let before = events(&env).len();
    is_too_many(&lost(ANA), 3);
    std::thread::sleep(Duration::from_millis(200));
    let after: Vec<(String, String, Value)> = events(&env);
    assert_eq!(after.len(), before, "nothing recorded: {after:?}");
    assert!(server.stop().0);
}
