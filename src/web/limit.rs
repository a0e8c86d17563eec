//! Rate limits on the forms `serve` answers (governor's GCRA, one state per key in memory).
//!
//! - The claim form: per client address ([`PER_CLIENT`]) and per recipient ([`PER_RECIPIENT`]).
//! - `/lost`: per client (its per-address limit is its own, see `lost.rs`).
//! - The one-click unsubscribe: per recipient only (mail providers post it from a few shared
//!   addresses for many people at once).
//!
//! A request over a limit is answered 429 with `Retry-After`, before anything is compared or
//! recorded, so no form can be used to flood the database. The links (pixel, click) are not
//! limited: each request is counted, see `writer::REPEAT_WINDOW`.

use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Form posts one client address may make: a burst of this many, then one every
/// [`CLIENT_PERIOD`] (20 a minute).
pub const PER_CLIENT: u32 = 20;
pub const CLIENT_PERIOD: Duration = Duration::from_secs(3);
/// Form posts for one recipient: a burst of this many, then one every [`RECIPIENT_PERIOD`]
/// (10 a minute).
pub const PER_RECIPIENT: u32 = 10;
pub const RECIPIENT_PERIOD: Duration = Duration::from_secs(6);
/// Keys kept before the ones back at full allowance are dropped.
const TIDY_ABOVE: usize = 10_000;

/// The limiters of one `serve`.
pub struct Limits {
    clients: DefaultKeyedRateLimiter<IpAddr>,
    recipients: DefaultKeyedRateLimiter<[u8; 16]>,
    clock: DefaultClock,
}

impl Default for Limits {
    fn default() -> Self {
        let quota = |burst: u32, period: Duration| {
            Quota::with_period(period)
                .expect("a non-zero period")
                .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
        };
        Limits {
            clients: DefaultKeyedRateLimiter::keyed(quota(PER_CLIENT, CLIENT_PERIOD)),
            recipients: DefaultKeyedRateLimiter::keyed(quota(PER_RECIPIENT, RECIPIENT_PERIOD)),
            clock: DefaultClock::default(),
        }
    }
}

/// Over a limit: how long until the next request would be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: Duration,
}

impl Limits {
    /// Count a post by this client (when known) for this recipient (when there is one); the
    /// first limit that refuses it answers.
    pub fn check(
        &self,
        client: Option<IpAddr>,
        recipient: Option<&[u8; 16]>,
    ) -> Result<(), Limited> {
        if let Some(ip) = client {
            self.one(&self.clients, &ip)?;
        }
        if let Some(uid) = recipient {
            self.one(&self.recipients, uid)?;
        }
        Ok(())
    }

    fn one<K: Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), Limited> {
        if limiter.len() > TIDY_ABOVE {
            limiter.retain_recent();
        }
        limiter.check_key(key).map_err(|not_until| Limited {
            retry_after: not_until.wait_time_from(self.clock.now()),
        })
    }
}

/// The client's address: the connection's, or, when the connection comes from loopback (a
/// reverse proxy on the same machine, as the README sets it up), the last address of
/// `X-Forwarded-For` (the one that proxy added). `None` in process (`publish`).
pub fn client(extensions: &Extensions, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !peer.is_loopback() {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .next_back();
    Some(forwarded.unwrap_or(peer))
}

/// The `Retry-After` value: whole seconds, at least one.
pub fn retry_after_secs(limited: Limited) -> u64 {
    limited.retry_after.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusals_with_a_retry_time() {
        let limits = Limits::default();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        // Spread over many recipients: only the client limit applies.
        for i in 0..PER_CLIENT {
            let uid = [i as u8; 16];
            assert_eq!(limits.check(Some(ip), Some(&uid)), Ok(()), "post {i}");
        }
        let refused = limits.check(Some(ip), Some(&[200; 16])).unwrap_err();
        assert!(refused.retry_after <= CLIENT_PERIOD, "{refused:?}");
        assert!(retry_after_secs(refused) >= 1);
        // Another client is not affected.
        assert_eq!(limits.check(Some(other), Some(&[201; 16])), Ok(()));
        // One recipient from many clients: the recipient limit applies.
        let uid = [99; 16];
        for i in 0..PER_RECIPIENT {
            let ip = IpAddr::from([198, 51, 100, i as u8]);
            assert_eq!(limits.check(Some(ip), Some(&uid)), Ok(()), "post {i}");
        }
        let refused = limits
            .check(Some("203.0.113.1".parse().unwrap()), Some(&uid))
            .unwrap_err();
        assert!(refused.retry_after <= RECIPIENT_PERIOD, "{refused:?}");
        // Without a client or a recipient, only the other limit counts.
        assert!(limits.check(None, Some(&uid)).is_err());
        assert_eq!(limits.check(None, None), Ok(()));
    }
}
