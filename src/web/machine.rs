//! Telling machine traffic (mail scanners, image proxies, link previewers) from people, so
//! opens and clicks they cause are recorded with `machine: true` and counted apart.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};

/// User-Agent fragments (lower case) of known mail-security scanners, image proxies, link
/// previewers and HTTP libraries.
const MACHINE_AGENTS: &[&str] = &[
    // Image proxies
    "googleimageproxy",
    "ggpht.com",
    "yahoomailproxy",
    "yahoo! slurp",
    // Microsoft Defender for Office 365 / Safe Links / Outlook previews
    "safelinks",
    "microsoft office",
    "ms-office",
    "microsoftpreview",
    "bingpreview",
    "msoffice",
    // Mail security gateways
    "barracuda",
    "mimecast",
    "proofpoint",
    "ppops-",
    "symantec",
    "messagelabs",
    "trendmicro",
    "trend micro",
    "forcepoint",
    "ironport",
    "cisco",
    "sophos",
    "fortiguard",
    "fortinet",
    "zscaler",
    "avanan",
    "checkpoint",
    "abnormal",
    // Link previewers and crawlers
    "facebookexternalhit",
    "twitterbot",
    "linkedinbot",
    "slackbot",
    "discordbot",
    "telegrambot",
    "whatsapp",
    "skypeuripreview",
    "bot/",
    "crawler",
    "spider",
    // HTTP libraries and tools
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww-perl",
    "httpclient",
];

/// Whether a request comes from a machine rather than a person's mail client or browser.
///
/// HEAD requests are machines (people's clients fetch with GET). Apple Mail Privacy Protection
/// fetches through proxies that send the bare User-Agent `Mozilla/5.0`; an empty or missing
/// User-Agent is a machine too.
pub fn is_machine(method: &Method, headers: &HeaderMap) -> bool {
    if method == Method::HEAD {
        return true;
    }
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    if ua.is_empty() || ua == "Mozilla/5.0" {
        return true;
    }
    let lower = ua.to_ascii_lowercase();
    MACHINE_AGENTS.iter().any(|pat| lower.contains(pat))
}

/// [`is_machine`] of a request, as a handler's argument: reads the method and the User-Agent
/// where they are, without a copy of every header.
#[derive(Debug, Clone, Copy)]
pub struct Machine(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Machine {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Machine(is_machine(&parts.method, &parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ua(s: &str) -> bool {
        let mut h = HeaderMap::new();
        h.insert(header::USER_AGENT, HeaderValue::from_str(s).unwrap());
        is_machine(&Method::GET, &h)
    }

    #[test]
    fn scanners_and_proxies() {
        assert!(ua(
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
        ));
        assert!(ua("Mozilla/5.0"));
        assert!(ua("Barracuda Sentinel (EE)"));
        assert!(ua("curl/8.5.0"));
        assert!(is_machine(&Method::HEAD, &HeaderMap::new()));
        assert!(is_machine(&Method::GET, &HeaderMap::new()));
    }

    #[test]
    fn people() {
        assert!(!ua(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36"
        ));
        assert!(!ua(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
        ));
        assert!(!ua(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0"
        ));
    }
}
