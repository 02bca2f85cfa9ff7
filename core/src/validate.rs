//! Validation helpers shared by every request type (and by the simulator).
//!
//! Every check runs before any I/O and names the offending field.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Normalises a Kenyan phone number to `+254XXXXXXXXX`.
///
/// Accepts `+254XXXXXXXXX`, `254XXXXXXXXX` and `0XXXXXXXXX`: nine digits
/// after the country code, the first of them 1-9 (every number in the API
/// documentation passes, including its sandbox numbers `+254999999999` and
/// `254900000000`). Spaces and dashes between digits are ignored. Anything
/// else (letters, another length, another country code) is refused.
/// See `docs/api-notes.md`, "Phone numbers".
pub fn normalize_phone(field: &str, input: &str) -> Result<String> {
    national_phone(field, input).map(|n| format!("+254{n}"))
}

/// [`normalize_phone`] without the plus: `254XXXXXXXXX`, the form the
/// documentation shows for merchant wallets and send-money destinations.
pub fn normalize_phone_254(field: &str, input: &str) -> Result<String> {
    national_phone(field, input).map(|n| format!("254{n}"))
}

/// The nine national digits of a Kenyan number.
fn national_phone(field: &str, input: &str) -> Result<String> {
    let mut digits = String::with_capacity(13);
    let trimmed = input.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, trimmed),
    };
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' => {}
            _ => {
                return Err(Error::invalid(
                    field,
                    "phone number may contain only digits, spaces, dashes and a leading +",
                ));
            }
        }
    }
    let national = if let Some(n) = digits.strip_prefix("254") {
        if n.len() != 9 {
            return Err(Error::invalid(field, "a +254 number has 9 digits after 254"));
        }
        n
    } else if !plus && digits.len() == 10 && digits.starts_with('0') {
        &digits[1..]
    } else {
        return Err(Error::invalid(
            field,
            "must be a Kenyan phone number: +254XXXXXXXXX, 254XXXXXXXXX or 0XXXXXXXXX",
        ));
    };
    if national.starts_with('0') {
        return Err(Error::invalid(
            field,
            "must be a Kenyan phone number: the first digit after 254 (or 0) is 1-9",
        ));
    }
    Ok(national.to_string())
}

/// A required, non-blank string.
pub fn required<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let t = value.trim();
    if t.is_empty() {
        return Err(Error::invalid(field, "is required and must not be blank"));
    }
    if value.len() > 1024 {
        return Err(Error::invalid(field, "is too long (at most 1024 bytes)"));
    }
    Ok(value)
}

/// An optional string: when present it must not be blank.
pub fn optional(field: &str, value: Option<&str>) -> Result<()> {
    if let Some(v) = value {
        required(field, v)?;
    }
    Ok(())
}

/// Whether a host (as written in a URL authority) is the loopback interface.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") || h == "::1" {
        return true;
    }
    h.parse::<std::net::Ipv4Addr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

/// Whether `url` is an absolute http(s) URL whose host is the loopback interface.
pub fn is_loopback_url(url: &str) -> bool {
    split_url(url).is_some_and(|p| is_loopback_host(p.host))
}

/// Parsed pieces of an absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub rest: &'a str,
}

pub(crate) fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    let scheme_ok = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    if !scheme_ok {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    if authority.is_empty() || authority.contains('@') || authority.chars().any(|c| c.is_whitespace()) {
        return None;
    }
    let host = if authority.starts_with('[') {
        let close = authority.find(']')?;
        &authority[..=close]
    } else {
        authority.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return None;
    }
    let port = &authority[host.len()..];
    if !port.is_empty() {
        let p = port.strip_prefix(':')?;
        if p.is_empty() || p.parse::<u16>().is_err() {
            return None;
        }
    }
    if after[end..].chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    Some(UrlParts {
        scheme,
        host,
        rest: &after[end..],
    })
}

/// A URL the API will call back or that we send requests to: `https://`, or
/// `http://` when the host is loopback (tests and the simulator).
pub fn secure_url(field: &str, url: &str) -> Result<()> {
    required(field, url)?;
    let parts = split_url(url).ok_or_else(|| Error::invalid(field, "must be an absolute http(s) URL"))?;
    if parts.scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    if is_loopback_host(parts.host) {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        "must use https (plain http is allowed only for loopback hosts)",
    ))
}

/// Metadata: a JSON object of at most 5 keys whose values are primitives
/// (string, number, boolean or null).
pub fn metadata(field: &str, meta: &Map<String, Value>) -> Result<()> {
    if meta.len() > 5 {
        return Err(Error::invalid(field, "may have at most 5 keys"));
    }
    for (k, v) in meta {
        if k.trim().is_empty() {
            return Err(Error::invalid(field, "keys must not be blank"));
        }
        if v.is_object() || v.is_array() {
            return Err(Error::invalid(
                format!("{field}.{k}"),
                "metadata values must be strings, numbers, booleans or null",
            ));
        }
    }
    Ok(())
}

/// Currency: only `KES` is documented.
pub fn currency(field: &str, value: &str) -> Result<()> {
    if value == "KES" {
        Ok(())
    } else {
        Err(Error::invalid(field, "must be KES"))
    }
}

/// Checks a value against the documented list of allowed values.
pub fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("must be one of: {}", allowed.join(", "))))
    }
}

/// An e-mail address (one rule for every request): no spaces or control
/// characters, one `@` with text before it, and a domain with a dot inside
/// it; at most 254 characters. `None` passes (e-mail fields are optional).
pub fn email(field: &str, value: Option<&str>) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    let bad = || Error::invalid(field, "is not an e-mail address (name@example.com)");
    if v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    // A dot after the domain's first character and before its last.
    let dot_inside = domain.find('.').is_some_and(|i| i > 0) && !domain.ends_with('.');
    if local.is_empty() || domain.contains('@') || !dot_inside {
        return Err(bad());
    }
    Ok(())
}

/// Kenya's offset (EAT), used for a polling time given without one.
const KENYA_OFFSET: &str = "+03:00";

/// An ISO 8601 date or date-time, as the polling API takes ("a date in the
/// iso8601 format"), normalised to `YYYY-MM-DDThh:mm:ss[.fff]±hh:mm`:
///
/// - `2021-04-12` (a bare date) → `2021-04-12T00:00:00+03:00`;
/// - `2021-04-12T08:50` / `2021-04-12 08:50:22` (no offset) → Kenya time, `+03:00`;
/// - offsets `Z`, `+03:00`, `+0300` and `+03` → `Z` / `+03:00`.
///
/// See `docs/api-notes.md`, "Polling times".
pub fn iso8601_normalize(field: &str, value: &str) -> Result<String> {
    let err = || {
        Error::invalid(
            field,
            "must be an ISO 8601 date or date-time such as 2021-04-12 or 2021-04-12T08:50:22+03:00",
        )
    };
    let v = value.trim();
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| v.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(99);
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10)) {
        return Err(err());
    }
    if !(1..=12).contains(&num(5..7)) || !(1..=31).contains(&num(8..10)) {
        return Err(err());
    }
    let date = &v[..10];
    if b.len() == 10 {
        return Ok(format!("{date}T00:00:00{KENYA_OFFSET}"));
    }
    if !(matches!(b[10], b'T' | b't' | b' ') && digits(11..13) && b.get(13) == Some(&b':') && digits(14..16)) {
        return Err(err());
    }
    let (hour, minute) = (num(11..13), num(14..16));
    let mut i = 16;
    let mut second = 0;
    if b.get(i) == Some(&b':') {
        if !digits(17..19) {
            return Err(err());
        }
        second = num(17..19);
        i = 19;
    }
    let mut fraction = "";
    if b.get(i) == Some(&b'.') {
        let start = i;
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start + 1 {
            return Err(err());
        }
        fraction = &v[start..i];
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(err());
    }
    let tz = &v[i..];
    let offset = match tz.as_bytes() {
        [] => KENYA_OFFSET.to_string(),
        [b'Z' | b'z'] => "Z".to_string(),
        [s @ (b'+' | b'-'), rest @ ..] => {
            let d: Vec<u8> = rest.iter().copied().filter(|c| *c != b':').collect();
            let colons = rest.iter().filter(|c| **c == b':').count();
            let shape_ok = match rest.len() {
                2 => colons == 0,
                4 => colons == 0,
                5 => colons == 1 && rest[2] == b':',
                _ => false,
            };
            if !shape_ok || !d.iter().all(u8::is_ascii_digit) {
                return Err(err());
            }
            let hh = (d[0] - b'0') * 10 + (d[1] - b'0');
            let mm = if d.len() == 4 {
                (d[2] - b'0') * 10 + (d[3] - b'0')
            } else {
                0
            };
            if hh > 14 || mm > 59 {
                return Err(err());
            }
            format!("{}{hh:02}:{mm:02}", *s as char)
        }
        _ => return Err(err()),
    };
    Ok(format!("{date}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}"))
}

/// Whether `value` is an ISO 8601 date or date-time [`iso8601_normalize`] takes.
pub fn iso8601(field: &str, value: &str) -> Result<()> {
    iso8601_normalize(field, value).map(|_| ())
}

/// A resource id, or the `Location` URL returned when it was created.
/// Returns the id (the last path segment). Ids may contain only letters,
/// digits, `-` and `_`, so they can never change the request path.
pub fn resource_id(field: &str, id_or_location: &str) -> Result<String> {
    location_id(field, id_or_location, None)
}

/// [`resource_id`] for a status or cancel call on `collection`
/// (`/api/v2/incoming_payments`): a URL or path given instead of an id must be
/// a Location of that collection. `…/send_money/abc` passed for an incoming
/// payment is refused, never quietly turned into `incoming_payments/abc`.
pub fn location_id(field: &str, id_or_location: &str, collection: Option<&str>) -> Result<String> {
    let v = id_or_location.trim();
    let path = if v.contains("://") {
        Some(
            split_url(v)
                .ok_or_else(|| Error::invalid(field, "is not a valid URL"))?
                .rest,
        )
    } else if v.starts_with('/') {
        // A relative Location (RFC 9110 §10.2.2): `/api/v2/reversals/<id>`.
        Some(v)
    } else {
        None
    };
    let id = match path {
        Some(path) => {
            let path = path.split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
            let (parent, id) = path.rsplit_once('/').unwrap_or(("", path));
            if let Some(c) = collection
                && !parent.ends_with(c)
            {
                return Err(Error::invalid(
                    field,
                    format!(
                        "is a Location outside {c}: pass the id or the Location this kind of resource was created with"
                    ),
                ));
            }
            id
        }
        None => v,
    };
    if id.is_empty() {
        return Err(Error::invalid(field, "is required and must not be blank"));
    }
    if id.len() > 128 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Error::invalid(
            field,
            "must be a resource id (letters, digits, - and _) or its Location URL",
        ));
    }
    Ok(id.to_string())
}

/// Scheme, lowercase host and port (the scheme's default when absent) of an
/// absolute http(s) URL.
fn origin(url: &str) -> Option<(String, String, u16)> {
    let parts = split_url(url)?;
    let scheme = parts.scheme.to_ascii_lowercase();
    let after = url.split_once("://")?.1;
    let authority = &after[..after.len() - parts.rest.len()];
    let port = match authority[parts.host.len()..].strip_prefix(':') {
        Some(p) => p.parse().ok()?,
        None if scheme == "https" => 443,
        None => 80,
    };
    Some((scheme, parts.host.to_ascii_lowercase(), port))
}

/// A full URL passed where an id or Location is expected must point at the
/// configured API (`base_url`): the client never sends its token elsewhere,
/// nor returns another server's answer as a Kopo Kopo resource.
pub fn same_origin(field: &str, id_or_location: &str, base_url: &str) -> Result<()> {
    let v = id_or_location.trim();
    if !v.contains("://") || origin(v) == origin(base_url) {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        "is a URL of another server than the configured base_url: pass the id or a Location from this API",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_lengths_and_characters() {
        // required: 1024 bytes pass, 1025 do not; blank never does.
        let max = "a".repeat(1024);
        assert_eq!(required("f", &max).unwrap(), max);
        let e = required("f", &"a".repeat(1025)).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_argument", Some("f")));
        assert!(e.to_string().contains("at most 1024 bytes"), "{e}");
        assert!(required("f", " \t").is_err());
        assert_eq!(required("f", " x ").unwrap(), " x ");
        // email: 254 characters pass, 255 do not; whitespace and controls anywhere are refused.
        let at_254 = format!("{}@example.com", "a".repeat(254 - "@example.com".len()));
        assert_eq!(at_254.len(), 254);
        assert!(email("e", Some(&at_254)).is_ok());
        assert!(email("e", Some(&format!("a{at_254}"))).is_err());
        assert!(email("e", Some("")).is_err());
        assert!(email("e", Some("a b@example.com")).is_err());
        assert!(email("e", Some("ab@exam\u{7}ple.com")).is_err());
        assert!(email("e", None).is_ok());
        // URLs: whitespace or control characters after the host are refused, each on its own.
        assert!(split_url("https://example.com/a b").is_none());
        assert!(split_url("https://example.com/a\u{1}b").is_none());
        assert!(split_url("https://example.com/a\u{7f}").is_none());
        assert!(split_url("https://example.com/a-b").is_some());
    }

    #[test]
    fn phones() {
        for ok in [
            "+254712345678",
            "254712345678",
            "0712345678",
            "+254112345678",
            "254112345678",
            "0112345678",
            " 0712 345 678 ",
            "0712-345-678",
        ] {
            let n = normalize_phone("p", ok).unwrap();
            assert!(n.starts_with("+254") && n.len() == 13, "{ok} -> {n}");
            assert_eq!(normalize_phone("p", &n).unwrap(), n, "idempotent");
        }
        assert_eq!(normalize_phone("p", "0712345678").unwrap(), "+254712345678");
        // The documentation's own numbers.
        assert_eq!(normalize_phone("p", "+254999999999").unwrap(), "+254999999999");
        assert_eq!(normalize_phone("p", "254900000000").unwrap(), "+254900000000");
        assert_eq!(normalize_phone_254("p", "+254 712 345 678").unwrap(), "254712345678");
        assert_eq!(normalize_phone_254("p", "0812345678").unwrap(), "254812345678");
        for bad in [
            "",
            "+254012345678",
            "0012345678",
            "712345678",
            "+0712345678",
            "07123456789",
            "+25471234567",
            "abc",
            "+1 415 555 0100",
            "2547123456789",
        ] {
            let e = normalize_phone("subscriber.phone_number", bad).unwrap_err();
            assert_eq!(e.field(), Some("subscriber.phone_number"), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(secure_url("u", "https://example.com/cb").is_ok());
        assert!(secure_url("u", "https://callback_to_your_app.your_application.com").is_ok());
        assert!(secure_url("u", "http://127.0.0.1:8080/cb").is_ok());
        assert!(secure_url("u", "http://localhost/cb").is_ok());
        assert!(secure_url("u", "http://[::1]:9/x").is_ok());
        assert!(secure_url("u", "http://example.com/cb").is_err());
        assert!(secure_url("u", "ftp://example.com").is_err());
        assert!(secure_url("u", "example.com").is_err());
        assert!(secure_url("u", "https://user@example.com").is_err());
        assert!(secure_url("u", "https://exa mple.com").is_err());
        assert!(secure_url("u", "http://localhost.evil.com/").is_err());
        assert!(secure_url("u", "https://x.com:99999/").is_err());
    }

    #[test]
    fn ids() {
        assert_eq!(resource_id("id", "abc-123").unwrap(), "abc-123");
        assert_eq!(
            resource_id(
                "id",
                "https://sandbox.kopokopo.com/api/v2/incoming_payments/247b1bd8-f5a0-4b71-a898-f62f67b8ae1c"
            )
            .unwrap(),
            "247b1bd8-f5a0-4b71-a898-f62f67b8ae1c"
        );
        assert_eq!(resource_id("id", "/api/v2/reversals/abc-1").unwrap(), "abc-1");
        assert!(is_loopback_url("http://127.0.0.1:9/x"));
        assert!(!is_loopback_url("https://example.com/x"));
        assert!(resource_id("id", "../etc").is_err());
        assert!(resource_id("id", "a/b").is_err());
        assert!(resource_id("id", "").is_err());
        assert!(resource_id("id", "a?b").is_err());
        // At most 128 characters.
        let long = "a".repeat(128);
        assert_eq!(resource_id("id", &long).unwrap(), long);
        assert!(resource_id("id", &format!("{long}b")).is_err());
    }

    #[test]
    fn origins_with_default_ports() {
        let same = |loc: &str, base: &str| same_origin("id", loc, base).is_ok();
        assert!(same(
            "https://API.kopokopo.com:443/api/v2/x/1",
            "https://api.kopokopo.com"
        ));
        assert!(same(
            "https://api.kopokopo.com/api/v2/x/1",
            "https://api.kopokopo.com:443"
        ));
        assert!(same("http://127.0.0.1:80/x/1", "http://127.0.0.1"));
        assert!(same("abc-1", "https://api.kopokopo.com"));
        assert!(!same("https://api.kopokopo.com:80/x/1", "https://api.kopokopo.com"));
        assert!(!same("http://127.0.0.1:443/x/1", "http://127.0.0.1"));
        assert!(!same("http://api.kopokopo.com/x/1", "https://api.kopokopo.com"));
        assert!(!same("https://evil.example/x/1", "https://api.kopokopo.com"));
        assert_eq!(
            same_origin("id", "https://evil.example/x/1", "https://api.kopokopo.com")
                .unwrap_err()
                .field(),
            Some("id")
        );
    }

    #[test]
    fn timestamps() {
        assert!(iso8601("t", "2021-04-12T08:50:22+03:00").is_ok());
        assert!(iso8601("t", "2020-10-19T09:24:48.622+03:00").is_ok());
        assert!(iso8601("t", "2020-10-19T09:24:48Z").is_ok());
        assert!(iso8601("t", "2020-13-19T09:24:48Z").is_err());
        assert!(iso8601("t", "yesterday").is_err());
        // Without an offset: Kenya time; a bare date: midnight, Kenya time.
        let n = |v: &str| iso8601_normalize("t", v).unwrap();
        assert_eq!(n("2020-10-19T09:24:48"), "2020-10-19T09:24:48+03:00");
        assert_eq!(n("2020-10-19"), "2020-10-19T00:00:00+03:00");
        assert_eq!(n("2020-10-19T09:24+0300"), "2020-10-19T09:24:00+03:00");
        assert_eq!(n("2020-10-19t09:24:48-05"), "2020-10-19T09:24:48-05:00");
        assert_eq!(n(" 2020-10-19 09:24:48.5z "), "2020-10-19T09:24:48.5Z");
        // Offsets up to +14:00 and with minutes; the colon only between hours and minutes.
        assert_eq!(n("2020-10-19T09:24:48+05:45"), "2020-10-19T09:24:48+05:45");
        assert_eq!(n("2020-10-19T09:24:48-0930"), "2020-10-19T09:24:48-09:30");
        assert_eq!(n("2020-10-19T09:24:48+14:00"), "2020-10-19T09:24:48+14:00");
        assert_eq!(n("2020-10-19T09:24:48+00:59"), "2020-10-19T09:24:48+00:59");
        for bad in ["+0:300", "+03:60", "+14:60", "+1400:", "+03:0:"] {
            assert!(iso8601("t", &format!("2020-10-19T09:24:48{bad}")).is_err(), "{bad}");
        }
        // The largest hour, minute and second (a leap second) pass.
        assert_eq!(n("2020-10-19T23:59:60Z"), "2020-10-19T23:59:60Z");
        assert_eq!(n("2020-10-19T23:59"), "2020-10-19T23:59:00+03:00");
        for bad in [
            "2020-10-19T09:60:00Z",
            "2020-10-19T09:00:61Z",
            "2020-10-19T24:00:00Z",
            "2020-10-19T09:24:48+3",
            "2020-10-19T09:24:48+03:0",
            "2020-10-19T09:24:48+15:00",
            "2020-10-19T09",
            "2020-10-19T09:24:48.Z",
            "2020-10-1",
            "20201019",
            // Each part of the date and time checked on its own: a sign that
            // `u32::from_str` would take is not a digit.
            "20a0-10-19",
            "2020x10-19",
            "2020-+1-19",
            "2020-10x19",
            "2020-10-+1",
            "2020-10-19X09:24",
            "2020-10-19T+9:24",
            "2020-10-19T09x24",
            "2020-10-19T09:+4",
            "2020-10-19T09:24:+8",
        ] {
            assert_eq!(
                iso8601("from_time", bad).unwrap_err().field(),
                Some("from_time"),
                "{bad}"
            );
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "jane.doe+k2@example.co.ke"] {
            assert!(email("email", Some(ok)).is_ok(), "{ok}");
        }
        assert!(email("email", None).is_ok());
        for bad in [
            "", "a", "a@b", "@b.co", "a@b.", "a@.co", "a @b.co", "a@b@c.co", " a@b.co",
        ] {
            assert_eq!(email("email", Some(bad)).unwrap_err().field(), Some("email"), "{bad}");
        }
    }

    #[test]
    fn metadata_limits() {
        let m: Map<String, Value> = serde_json::from_str(r#"{"a":1,"b":"x","c":true,"d":null,"e":2.5}"#).unwrap();
        assert!(metadata("metadata", &m).is_ok());
        let m: Map<String, Value> = serde_json::from_str(r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}"#).unwrap();
        assert!(metadata("metadata", &m).is_err());
        let m: Map<String, Value> = serde_json::from_str(r#"{"a":{"b":1}}"#).unwrap();
        assert_eq!(metadata("metadata", &m).unwrap_err().field(), Some("metadata.a"));
    }
}
