//! Sans-IO HTTP values: what every request builder produces and every
//! response parser consumes. Any HTTP stack can carry them.

use std::fmt;

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

impl Method {
    /// The method name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes (empty for GET).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// First value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path and query part of the URL.
    pub fn path(&self) -> &str {
        match self.url.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
            None => &self.url,
        }
    }
}

/// Debug never prints the Authorization header or a form body (both carry secrets).
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("authorization") {
                    (k.as_str(), "[REDACTED]")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        let form = self
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        let mut d = f.debug_struct("HttpRequest");
        d.field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers);
        if form {
            d.field("body", &"[REDACTED form]");
        } else {
            d.field("body", &String::from_utf8_lossy(&self.body));
        }
        d.finish()
    }
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status and a body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// First value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_request_but_never_its_secrets() {
        let mut req = HttpRequest {
            method: Method::Post,
            url: "https://sandbox.kopokopo.com/api/v2/incoming_payments".into(),
            headers: vec![
                ("Authorization".into(), "Bearer tok-SECRET-1".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: br#"{"amount":"10"}"#.to_vec(),
        };
        assert_eq!(
            format!("{req:?}"),
            r#"HttpRequest { method: Post, url: "https://sandbox.kopokopo.com/api/v2/incoming_payments", headers: [("Authorization", "[REDACTED]"), ("content-type", "application/json")], body: "{\"amount\":\"10\"}" }"#
        );
        // A form body (the token request's client secret) is hidden whole.
        req.headers[1].1 = "application/x-www-form-urlencoded; charset=utf-8".into();
        req.body = b"client_id=id&client_secret=sk-SECRET-2".to_vec();
        let d = format!("{req:?}");
        assert!(d.ends_with(r#"body: "[REDACTED form]" }"#), "{d}");
        assert!(!d.contains("SECRET"), "{d}");
    }

    #[test]
    fn methods_paths_headers_and_statuses() {
        assert_eq!(
            (Method::Get.to_string(), Method::Post.to_string()),
            ("GET".into(), "POST".into())
        );
        let req = |url: &str| HttpRequest {
            method: Method::Get,
            url: url.into(),
            headers: vec![
                ("accept".into(), "application/json".into()),
                ("Accept".into(), "text/plain".into()),
            ],
            body: Vec::new(),
        };
        assert_eq!(req("https://api.kopokopo.com/api/v2/x?a=1").path(), "/api/v2/x?a=1");
        assert_eq!(req("https://api.kopokopo.com").path(), "/");
        assert_eq!(req("/already/a/path").path(), "/already/a/path");
        assert_eq!(req("https://x").header("ACCEPT"), Some("application/json"));
        assert_eq!(req("https://x").header("content-type"), None);
        let r = HttpResponse::new(201, "").with_header("Location", "https://x/y");
        assert_eq!(
            (r.header("location"), r.header("LOCATION")),
            (Some("https://x/y"), Some("https://x/y"))
        );
        assert_eq!(r.headers, [("location".to_string(), "https://x/y".to_string())]);
        assert_eq!(r.header("retry-after"), None);
        for (status, ok) in [
            (199, false),
            (200, true),
            (204, true),
            (299, true),
            (300, false),
            (404, false),
        ] {
            assert_eq!(HttpResponse::new(status, "").is_success(), ok, "{status}");
        }
    }
}
