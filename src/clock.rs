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

/// Parse a duration written `0s`, `30m`, `1h`, `2d`, `1w`.
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("'{text}' has no unit: write it like 30m, 1h or 2d"))?;
    let (num, unit) = text.split_at(split);
    let n: i64 = num
        .parse()
        .map_err(|_| format!("'{text}' is not a duration: write it like 30m, 1h or 2d"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        "w" => n * 604_800,
        _ => {
            return Err(format!(
                "'{text}': unknown unit '{unit}' (use s, m, h, d or w)"
            ));
        }
    };
    Ok(chrono::Duration::seconds(secs))
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
    }

    #[test]
    fn stamps_sort_as_text() {
        let a = parse("2026-01-02T03:04:05+02:00").unwrap();
        assert_eq!(stamp(a), "2026-01-02T01:04:05Z");
        assert_eq!(stamp(parse("2026-11-26").unwrap()), "2026-11-26T00:00:00Z");
    }
}
