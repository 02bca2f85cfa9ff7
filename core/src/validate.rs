//! Validation helpers shared by every request type (and by the simulator).
//!
//! Every check runs before any I/O and names the offending field.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Normalises a Kenyan mobile number to `+254XXXXXXXXX`.
///
/// Accepts `+2547XXXXXXXX`, `2547XXXXXXXX`, `07XXXXXXXX` and the newer
/// `1` series (`+2541XXXXXXXX`, `2541XXXXXXXX`, `01XXXXXXXX`). Spaces and
/// dashes between digits are ignored. Anything else is rejected: the
/// documentation's placeholders such as `+254999999999` are not real
/// subscriber numbers and the API would refuse them, so we do too.
pub fn normalize_phone(field: &str, input: &str) -> Result<String> {
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
            "must be a Kenyan mobile number: +2547XXXXXXXX, 2547XXXXXXXX, 07XXXXXXXX, or the 01 series",
        ));
    };
    if !(national.starts_with('7') || national.starts_with('1')) {
        return Err(Error::invalid(
            field,
            "must be a Kenyan mobile number in the 07 or 01 series",
        ));
    }
    Ok(format!("+254{national}"))
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

/// An ISO 8601 timestamp with a date, a time and an offset (`Z` or `±hh:mm`),
/// as the polling API takes: `2021-04-12T08:50:22+03:00`.
pub fn iso8601(field: &str, value: &str) -> Result<()> {
    let b = value.as_bytes();
    let err = || Error::invalid(field, "must be an ISO 8601 timestamp such as 2021-04-12T08:50:22+03:00");
    if b.len() < 20 {
        return Err(err());
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shape = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't' || b[10] == b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return Err(err());
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(err());
        }
    }
    let tz = &value[i..];
    let tz_ok = tz == "Z"
        || tz == "z"
        || (tz.len() == 6
            && (tz.starts_with('+') || tz.starts_with('-'))
            && tz.as_bytes()[3] == b':'
            && tz[1..3].bytes().all(|c| c.is_ascii_digit())
            && tz[4..6].bytes().all(|c| c.is_ascii_digit()));
    let month: u32 = value[5..7].parse().unwrap_or(0);
    let day: u32 = value[8..10].parse().unwrap_or(0);
    let hour: u32 = value[11..13].parse().unwrap_or(99);
    let minute: u32 = value[14..16].parse().unwrap_or(99);
    let second: u32 = value[17..19].parse().unwrap_or(99);
    let ranges = (1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24 && minute < 60 && second < 61;
    if tz_ok && ranges { Ok(()) } else { Err(err()) }
}

/// A resource id, or the `Location` URL returned when it was created.
/// Returns the id (the last path segment). Ids may contain only letters,
/// digits, `-` and `_`, so they can never change the request path.
pub fn resource_id(field: &str, id_or_location: &str) -> Result<String> {
    let v = id_or_location.trim();
    let last_segment = |path: &str| {
        let path = path.split(['?', '#']).next().unwrap_or("");
        path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
    };
    let id = if v.contains("://") {
        let parts = split_url(v).ok_or_else(|| Error::invalid(field, "is not a valid URL"))?;
        last_segment(parts.rest)
    } else if v.starts_with('/') {
        // A relative Location (RFC 9110 §10.2.2): `/api/v2/reversals/<id>`.
        last_segment(v)
    } else {
        v.to_string()
    };
    let id = id.as_str();
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

#[cfg(test)]
mod tests {
    use super::*;

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
        for bad in [
            "",
            "+254999999999",
            "254900000000",
            "0812345678",
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
    }

    #[test]
    fn timestamps() {
        assert!(iso8601("t", "2021-04-12T08:50:22+03:00").is_ok());
        assert!(iso8601("t", "2020-10-19T09:24:48.622+03:00").is_ok());
        assert!(iso8601("t", "2020-10-19T09:24:48Z").is_ok());
        assert!(iso8601("t", "2020-13-19T09:24:48Z").is_err());
        assert!(iso8601("t", "yesterday").is_err());
        assert!(iso8601("t", "2020-10-19T09:24:48").is_err());
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
