//! The one place certstat reads the time, so tests can pin it (`CERTSTAT_NOW`).

use chrono::{DateTime, SecondsFormat, Utc};

/// Now, or the instant in `CERTSTAT_NOW` (RFC 3339) when set — for reproducible tests.
pub fn now() -> DateTime<Utc> {
    if let Ok(fixed) = std::env::var("CERTSTAT_NOW")
        && let Ok(t) = DateTime::parse_from_rfc3339(&fixed)
    {
        return t.with_timezone(&Utc);
    }
    Utc::now()
}

/// The stored form of an instant: RFC 3339, UTC, whole seconds (sorts as text).
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `stamp(now())`.
pub fn now_stamp() -> String {
    stamp(now())
}

/// Parse a stored or user-given instant (RFC 3339 with any offset, or a bare date).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc())
}

/// The longest duration certstat accepts anywhere (config or command line): ten years.
pub const MAX_DURATION_SECS: i64 = 3650 * 86_400;

/// Parse a duration written `0s`, `30m`, `1h`, `2d`, `1w`, at most ten years (so nothing
/// computed from it can overflow a time).
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("'{text}' has no unit: write it like 30m, 1h or 2d"))?;
    let (num, unit) = text.split_at(split);
    let unit_secs: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ if num.is_empty() => {
            return Err(format!(
                "'{text}' is not a duration: write a number and a unit, like 30m, 1h or 2d"
            ));
        }
        _ => {
            return Err(format!(
                "'{text}': unknown unit '{unit}' (use s, m, h, d or w)"
            ));
        }
    };
    if num.is_empty() {
        return Err(format!(
            "'{text}' is not a duration: write a number and a unit, like 30m, 1h or 2d"
        ));
    }
    let too_long =
        || format!("'{text}' is longer than ten years (3650d), the most certstat accepts");
    let n: i64 = num.parse().map_err(|_| too_long())?;
    let secs = n.checked_mul(unit_secs).ok_or_else(too_long)?;
    if secs > MAX_DURATION_SECS {
        return Err(too_long());
    }
    Ok(chrono::Duration::seconds(secs))
}

/// A clap value parser: the text of a valid duration (see [`parse_duration`]).
pub fn duration_arg(text: &str) -> Result<String, String> {
    parse_duration(text).map(|_| text.trim().to_owned())
}

/// A clap value parser: the text of a valid instant (see [`parse`]), between the years 1 and
/// 9999.
pub fn instant_arg(text: &str) -> Result<String, String> {
    match parse(text) {
        Some(_) => Ok(text.trim().to_owned()),
        None => Err(format!(
            "'{text}' is not a time: write a date like 2026-11-26 or an RFC 3339 time like 2026-11-26T10:00:00Z"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0s").unwrap().num_seconds(), 0);
        assert_eq!(parse_duration("30m").unwrap().num_seconds(), 1800);
        assert_eq!(parse_duration("2d").unwrap().num_seconds(), 172_800);
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("1y").is_err());
        assert_eq!(parse_duration("3650d").unwrap().num_days(), 3650);
        for bad in [
            "3651d",
            "99999999999999d",
            "30500568904944w",
            "9223372036854775807s",
            "99999999999999999999999m",
            "-1h",
            "1.5h",
            "h",
            "",
            "NaNs",
            "infd",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stamps_sort_as_text() {
        let a = parse("2026-01-02T03:04:05+02:00").unwrap();
        assert_eq!(stamp(a), "2026-01-02T01:04:05Z");
        assert_eq!(stamp(parse("2026-11-26").unwrap()), "2026-11-26T00:00:00Z");
    }
}
