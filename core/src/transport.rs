//! The `Transport` trait and its default implementation on ureq (rustls,
//! connection pooling, timeouts).

use std::time::Duration;

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};

/// Sends one request and returns the response, whatever its status.
///
/// Implement it to use your own HTTP stack (or a recorder in tests). It must
/// return `Err` only when no complete response arrived: a 4xx or 5xx is an
/// `Ok(HttpResponse)`. Report timeouts as [`Error::Timeout`] and every other
/// failure as [`Error::Transport`]; never put request headers (they carry the
/// token) in an error message.
pub trait Transport: Send + Sync {
    /// Sends the request.
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        (**self).send(request)
    }
}

/// The default transport: a pooled ureq agent with rustls.
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl std::fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UreqTransport")
    }
}

/// Largest response body read (API responses are small).
const MAX_BODY: u64 = 16 * 1024 * 1024;

impl UreqTransport {
    /// An agent with a whole-request timeout and a connect timeout.
    pub fn new(timeout: Duration, connect_timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(connect_timeout))
            .http_status_as_error(false)
            .max_idle_connections_per_host(64)
            .max_idle_connections(128)
            .user_agent(ureq::config::AutoHeaderValue::None)
            .accept_encoding(ureq::config::AutoHeaderValue::None)
            .build();
        UreqTransport { agent: config.into() }
    }
}

fn map_error(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Timeout(t) => Error::Timeout {
            message: format!("request timed out ({t})"),
        },
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::TimedOut || io.kind() == std::io::ErrorKind::WouldBlock =>
        {
            Error::Timeout {
                message: format!("request timed out: {io}"),
            }
        }
        other => Error::Transport {
            message: other.to_string(),
        },
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let req = builder.body(request.body.clone()).map_err(|e| Error::Transport {
            message: format!("could not build the HTTP request: {e}"),
        })?;
        let mut resp = self.agent.run(req).map_err(map_error)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(map_error)?;
        Ok(HttpResponse { status, headers, body })
    }
}
