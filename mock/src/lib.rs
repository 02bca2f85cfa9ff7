//! `k2 mock`: a local, stateful Kopo Kopo API simulator.
//!
//! It validates requests with the core crate's own request types (one
//! implementation), answers with the documented status codes, `Location`
//! headers and error bodies, stores what is created, and after a delay POSTs
//! signed results to the callback URLs like the real API. See `README.md`
//! for the magic values and the admin endpoints.
//!
//! ```no_run
//! let server = kopokopo_mock::MockServer::start(kopokopo_mock::MockConfig::default())?;
//! println!("simulator at {}", server.base_url());
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod docs;
pub mod receiver;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kopokopo::requests::{
    ExternalRecipientRequest, IncomingPaymentRequest, MerchantBankAccountRequest, MerchantWalletRequest,
    PaymentLinkRequest, PollingRequest, ReversalRequest, SendMoneyRequest, SmsNotificationRequest,
    WebhookSubscriptionRequest,
};
use kopokopo::{Error as K2Error, HttpRequest, Transport, UreqTransport, validate, webhooks};
use serde_json::{Value, json};

use docs::{envelope, iso_now, uuid};

/// Simulator settings.
#[derive(Clone)]
pub struct MockConfig {
    /// Port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// Accepted client id.
    pub client_id: String,
    /// Accepted client secret.
    pub client_secret: String,
    /// Key that signs webhooks and results.
    pub api_key: String,
    /// Token lifetime.
    pub token_ttl: Duration,
    /// Delay before a result callback is sent.
    pub callback_delay: Duration,
}

impl std::fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockConfig")
            .field("port", &self.port)
            .field("client_id", &self.client_id)
            .field("token_ttl", &self.token_ttl)
            .field("callback_delay", &self.callback_delay)
            .finish_non_exhaustive()
    }
}

/// Default client id.
pub const DEFAULT_CLIENT_ID: &str = "k2-mock-client-id";
/// Default client secret.
pub const DEFAULT_CLIENT_SECRET: &str = "k2-mock-client-secret";
/// Default API key.
pub const DEFAULT_API_KEY: &str = "k2-mock-api-key";

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            port: 0,
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: DEFAULT_CLIENT_SECRET.into(),
            api_key: DEFAULT_API_KEY.into(),
            token_ttl: Duration::from_secs(3600),
            callback_delay: Duration::from_millis(200),
        }
    }
}

/// Phone that makes an STK push fail for lack of funds.
pub const PHONE_INSUFFICIENT: &str = "+254700000001";
/// Phone whose STK push never completes.
pub const PHONE_PENDING: &str = "+254700000002";
/// Phone whose STK push fails with invalid initiator information.
pub const PHONE_INVALID_INITIATOR: &str = "+254700000003";
/// Till number every create rejects.
pub const TILL_INVALID: &str = "K400400";
const INSUFFICIENT: &str = "The balance is insufficient for the transaction";

#[derive(Clone, Debug)]
struct TokenRec {
    expires_at: Instant,
    issued_epoch: i64,
    revoked: bool,
}

#[derive(Clone, Debug)]
enum FaultMode {
    TooMany(u64),
    Status(u16),
    Hang,
    Malformed,
    Close,
    Delay(Duration),
}

#[derive(Clone, Debug)]
struct Fault {
    mode: FaultMode,
    remaining: u64,
    path: Option<String>,
}

#[derive(Clone, Debug)]
struct Subscription {
    event_type: String,
    url: String,
    daraja: bool,
}

#[derive(Default)]
struct Inner {
    tokens: HashMap<String, TokenRec>,
    docs: HashMap<String, Value>,
    link_state: HashMap<String, String>,
    subscriptions: Vec<Subscription>,
    counters: BTreeMap<String, u64>,
    tokens_issued: u64,
    callbacks_sent: u64,
    callbacks_failed: u64,
    callbacks_skipped: u64,
    faults: VecDeque<Fault>,
    /// External recipients by who they are (see [`recipient_key`]): the id a
    /// send-money disbursement to them reports as `destination_reference`.
    recipients: HashMap<String, String>,
    /// The latest reversal id of each `transaction_reference`.
    reversals_by_reference: HashMap<String, String>,
}

struct Shared {
    config: MockConfig,
    base_url: String,
    inner: Mutex<Inner>,
    http: UreqTransport,
    /// The simulated merchant's preferred settlement account, where a "blind"
    /// send money (no destinations) goes.
    settlement_reference: String,
}

type AppState = Arc<Shared>;

/// What happens to a stored document when its result arrives.
type Finish = Box<dyn FnOnce(&mut Value) + Send>;

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn api_error(status: StatusCode, message: &str) -> Response {
    json_response(
        status,
        &json!({ "error_code": status.as_u16(), "error_message": message }),
    )
}

fn unauthorized() -> Response {
    api_error(
        StatusCode::UNAUTHORIZED,
        "The access token is invalid, expired or revoked",
    )
}

/// Turns a core validation error into the API's message style
/// (`Till number can't be blank`).
fn validation_message(e: &K2Error) -> String {
    match e {
        K2Error::InvalidArgument { field, reason } => {
            let leaf = field.rsplit('.').next().unwrap_or(field);
            let mut human = leaf.replace('_', " ");
            if let Some(first) = human.get(0..1) {
                human = first.to_uppercase() + &human[1..];
            }
            if reason.contains("required") || reason.starts_with("missing field") {
                format!("{human} can't be blank")
            } else {
                format!("{human} {reason} ({field})")
            }
        }
        other => other.to_string(),
    }
}

/// What kind of failure the core reported for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    /// Missing, null or blank.
    Blank,
    /// Present but not acceptable.
    Invalid,
    /// Either (the documentation prints one text for the field).
    Any,
}

/// The documentation's `error_message` examples, by endpoint collection (`*`:
/// any endpoint, matched on the field's last segment) and the core's
/// `InvalidArgument` field (indices removed: `destinations[1].type` is
/// `destinations.type`). The first matching row wins; fields without a row
/// get the API's general style ([`validation_message`]). Each row names the
/// documented example it comes from, in `tests/fixtures/` (docs/api-notes.md,
/// "Documented error messages").
const DOCUMENTED_TEXTS: &[(&str, &str, Failure, &str)] = &[
    // error.webhook_subscription.json
    (
        "webhook_subscriptions",
        "scope_reference",
        Failure::Any,
        "Invalid scope reference",
    ),
    // error.external_recipient.json
    ("external_recipients", "type", Failure::Any, "Invalid recipient type"),
    // error.send_money.my_account.json
    (
        "send_money",
        "destinations.reference",
        Failure::Any,
        "Destination reference is invalid",
    ),
    // error.send_money.external_recipients.json
    (
        "send_money",
        "destinations.type",
        Failure::Blank,
        "Destination type can't be blank",
    ),
    // Not printed; the same style as error.send_money.my_account.json.
    (
        "send_money",
        "destinations.type",
        Failure::Invalid,
        "Destination type is invalid",
    ),
    // error.polling.json
    ("polling", "scope", Failure::Any, "Scope is invalid"),
    // error.incoming_payment.json, error.payment_link.create.json
    ("*", "till_number", Failure::Blank, "Till number can't be blank"),
    // error.merchant_wallet.json
    ("*", "first_name", Failure::Blank, "First name can't be blank"),
    // error.merchant_bank_account.json (also external recipients and send money)
    ("*", "bank_branch_ref", Failure::Any, "Bank branch ref is not valid"),
    // error.send_money.my_accounts.json
    ("*", "callback_url", Failure::Blank, "Callback url can't be blank"),
    // error.transaction_sms_notification.json
    ("*", "message", Failure::Blank, "Message can't be blank"),
];

/// The documented reversal error (tests/fixtures/error.reversal.json), sent
/// with `error_message` as an array of strings.
const PENDING_REVERSAL: &str = "You cannot reverse a transaction in Pending Reversal";

/// `destinations[1].type` -> `destinations.type`.
fn field_pattern(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut depth = 0u32;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether the core's error (or the value in the body at that field) says
/// the field is missing or blank rather than present but wrong.
fn failure_of(field: &str, reason: &str, body: &[u8]) -> Failure {
    if reason.contains("is required") || reason.starts_with("missing field") {
        return Failure::Blank;
    }
    let pointer: String = field
        .replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| format!("/{s}"))
        .collect();
    let blank = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.pointer(&pointer).cloned())
        .is_some_and(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()));
    if blank { Failure::Blank } else { Failure::Invalid }
}

/// The documented text for a core validation error on `collection`, if the
/// documentation prints one for that field.
fn documented_text(collection: &str, e: &K2Error, body: &[u8]) -> Option<&'static str> {
    let K2Error::InvalidArgument { field, reason } = e else {
        return None;
    };
    let pattern = field_pattern(field);
    let leaf = pattern.rsplit('.').next().unwrap_or(&pattern);
    let failure = failure_of(field, reason, body);
    DOCUMENTED_TEXTS
        .iter()
        .find(|(c, f, kind, _)| {
            let field_matches = if *c == "*" {
                leaf == *f
            } else {
                *c == collection && pattern == *f
            };
            field_matches && (*kind == Failure::Any || *kind == failure)
        })
        .map(|(_, _, _, text)| *text)
}

/// A 400 for a request body the core refused, in the documentation's words.
/// The reversal endpoint answers with `error_message` as an array
/// (docs/api-notes.md, "Error bodies").
fn bad_request(collection: &str, e: &K2Error, body: &[u8]) -> Response {
    let message = documented_text(collection, e, body)
        .map(str::to_string)
        .unwrap_or_else(|| validation_message(e));
    if collection == "reversals" {
        api_error_list(StatusCode::BAD_REQUEST, &[message.as_str()])
    } else {
        api_error(StatusCode::BAD_REQUEST, &message)
    }
}

/// An error body whose `error_message` is an array of strings, the shape the
/// documentation shows for reversals.
fn api_error_list(status: StatusCode, messages: &[&str]) -> Response {
    json_response(
        status,
        &json!({ "error_code": status.as_u16(), "error_message": messages }),
    )
}

/// Route key for counters: method plus path template.
fn route_key(method: &Method, path: &str) -> String {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let templ: Vec<String> = segs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let is_id = i >= 4 && s.len() > 8 && s.bytes().any(|b| b.is_ascii_digit()) && *s != "cancel";
            if is_id { "{id}".to_string() } else { s.to_string() }
        })
        .collect();
    format!("{} {}", method, templ.join("/"))
}

/// Older official SDKs call `/api/v1/...`; the documentation prints the
/// reversal path as `/api/api/v2/reversals`. Both map to the documented
/// resource (docs/api-notes.md, "Reversal path"). Transaction SMS
/// notifications are documented under v1.
fn canonical_path(path: &str) -> String {
    let p = path.trim_end_matches('/');
    if let Some(rest) = p.strip_prefix("/api/api/v2/") {
        return format!("/api/v2/{rest}");
    }
    if let Some(rest) = p.strip_prefix("/api/v2/transaction_sms_notifications") {
        return format!("/api/v1/transaction_sms_notifications{rest}");
    }
    if let Some(rest) = p.strip_prefix("/api/v1/")
        && !rest.starts_with("transaction_sms_notifications")
    {
        return format!("/api/v2/{rest}");
    }
    p.to_string()
}

/// Collections created with `POST /api/v2/<collection>`.
const POST_COLLECTIONS: &[&str] = &[
    "webhook_subscriptions",
    "incoming_payments",
    "merchant_wallets",
    "merchant_bank_accounts",
    "external_recipients",
    "send_money",
    "polling",
    "reversals",
    "payment_links",
];
/// Collections whose resources are read with `GET /api/v2/<collection>/{id}`.
const GET_COLLECTIONS: &[&str] = &[
    "incoming_payments",
    "send_money",
    "polling",
    "reversals",
    "payment_links",
];
const ONLY_POST: &[Method] = &[Method::POST];
const ONLY_GET: &[Method] = &[Method::GET, Method::HEAD];

/// The methods a documented path (after [`canonical_path`]) answers to, or
/// `None` for a path the API does not have.
fn allowed_methods(path: &str) -> Option<&'static [Method]> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["oauth", "token" | "revoke" | "introspect"] => Some(ONLY_POST),
        ["oauth", "token", "info"] => Some(ONLY_GET),
        ["api", "v2", c] if POST_COLLECTIONS.contains(c) => Some(ONLY_POST),
        ["api", "v1", "transaction_sms_notifications"] => Some(ONLY_POST),
        ["api", "v2", "payment_links", id, "cancel"] if !id.is_empty() => Some(ONLY_POST),
        ["api", "v2", c, id] if GET_COLLECTIONS.contains(c) && !id.is_empty() => Some(ONLY_GET),
        ["api", "v1", "transaction_sms_notifications", id] if !id.is_empty() => Some(ONLY_GET),
        _ => None,
    }
}

/// `405` with an `Allow` header (the documentation's error table; see
/// docs/api-notes.md, "Documented error messages").
fn method_not_allowed(allowed: &[Method]) -> Response {
    let mut r = api_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "You tried to access a resource with an invalid method",
    );
    let allow = allowed.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
    if let Ok(v) = HeaderValue::from_str(&allow) {
        r.headers_mut().insert(header::ALLOW, v);
    }
    r
}

/// Whether the `Accept` header (absent or empty: anything) admits a JSON
/// answer: `application/json` or `application/<anything>+json` (with or
/// without parameters), `application/*` or `*/*`, unless given `q=0`.
fn accepts_json(headers: &HeaderMap) -> bool {
    let mut any_range = false;
    for value in headers.get_all(header::ACCEPT) {
        let Ok(text) = value.to_str() else {
            any_range = true;
            continue;
        };
        for range in text.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim();
            if media.is_empty() {
                continue;
            }
            any_range = true;
            let refused = parts.any(|p| {
                p.split_once('=').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("q") && v.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)
                })
            });
            // JSON with a structured-syntax suffix counts too (RFC 6839): the
            // official SDKs send `application/vnd.kopokopo.v4.hal+json`.
            let lower = media.to_ascii_lowercase();
            let json = ["*/*", "application/*", "application/json"].contains(&lower.as_str())
                || (lower.starts_with("application/") && lower.ends_with("+json"));
            if json && !refused {
                return true;
            }
        }
    }
    !any_range
}

/// `406` (the documentation's error table).
fn not_acceptable() -> Response {
    api_error(
        StatusCode::NOT_ACCEPTABLE,
        "You requested a format that isn't valid json",
    )
}

/// A running simulator (in a background thread with its own runtime).
pub struct MockServer {
    base_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MockServer {
    /// Starts a simulator on 127.0.0.1 and returns once it accepts connections.
    pub fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let base_url = format!("http://{addr}");
        let thread = std::thread::Builder::new().name("k2-mock".into()).spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("k2 mock: cannot start runtime: {e}");
                    return;
                }
            };
            rt.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => {
                        let _ = serve(l, config, async {
                            let _ = rx.await;
                        })
                        .await;
                    }
                    Err(e) => eprintln!("k2 mock: {e}"),
                }
            });
        })?;
        Ok(MockServer {
            base_url,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

/// Serves the simulator on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: MockConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    let state = Arc::new(Shared {
        base_url: format!("http://{addr}"),
        config,
        inner: Mutex::new(Inner::default()),
        http: UreqTransport::new(Duration::from_secs(5), Duration::from_secs(2)),
        settlement_reference: uuid(),
    });
    let app = Router::new().fallback(handle).with_state(state);
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

async fn handle(State(s): State<AppState>, req: Request) -> Response {
    let method = req.method().clone();
    let raw_path = req.uri().path().to_string();
    if let Some(admin) = raw_path.strip_prefix("/__admin/") {
        let admin = admin.to_string();
        if let Some(refused) = admin_guard(&method, req.headers()) {
            return refused;
        }
        let json_body = content_type_is_json(req.headers());
        let body = match axum::body::to_bytes(req.into_body(), 1 << 20).await {
            Ok(b) => b,
            Err(_) => return api_error(StatusCode::PAYLOAD_TOO_LARGE, "Body too large"),
        };
        if !body.is_empty() && !json_body {
            return admin_needs_json();
        }
        return handle_admin(&s, &method, &admin, &body).await;
    }
    let path = canonical_path(&raw_path);
    let fault = {
        let mut g = s.lock();
        *g.counters.entry(route_key(&method, &path)).or_insert(0) += 1;
        take_fault(&mut g, &path)
    };
    if let Some(f) = fault {
        match f {
            FaultMode::TooMany(after) => {
                let mut r = api_error(StatusCode::TOO_MANY_REQUESTS, "Request threshold has been exceeded");
                if let Ok(v) = HeaderValue::from_str(&after.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return r;
            }
            FaultMode::Status(code) => {
                let st = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                return api_error(st, st.canonical_reason().unwrap_or("error"));
            }
            FaultMode::Hang => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return api_error(StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout");
            }
            FaultMode::Malformed => {
                return (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    "{\"data\": {\"id\": ",
                )
                    .into_response();
            }
            FaultMode::Close => {
                let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                    Ok(Bytes::from_static(b"{\"data\": {\"id\": \"")),
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "closed mid-response",
                    )),
                ];
                let mut r = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                r.headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from_static("4096"));
                return r;
            }
            FaultMode::Delay(d) => tokio::time::sleep(d).await,
        }
    }
    // Routing comes first, as in the API: a documented path asked with
    // another method is 405, a request that refuses JSON is 406 (the
    // documentation's error table).
    if let Some(allowed) = allowed_methods(&path) {
        let refuse = if !allowed.contains(&method) {
            Some(method_not_allowed(allowed))
        } else if !accepts_json(req.headers()) {
            Some(not_acceptable())
        } else {
            None
        };
        if let Some(answer) = refuse {
            // Read the request to its end first: answering with its body unread
            // makes the server drop the connection, which a client may already
            // be reusing for its next request ("peer disconnected").
            let _ = axum::body::to_bytes(req.into_body(), 1 << 20).await;
            return answer;
        }
    }
    if path.starts_with("/oauth/") {
        return handle_oauth(&s, &method, &path, req).await;
    }
    let headers = req.headers().clone();
    let body = match axum::body::to_bytes(req.into_body(), 1 << 20).await {
        Ok(b) => b,
        Err(_) => return api_error(StatusCode::BAD_REQUEST, "Body too large"),
    };
    if !bearer_ok(&s, &headers) {
        return unauthorized();
    }
    handle_api(&s, &method, &path, &body)
}

fn take_fault(g: &mut Inner, path: &str) -> Option<FaultMode> {
    let idx = g.faults.iter().position(|f| {
        f.path
            .as_deref()
            .is_none_or(|p| path.starts_with(p) || path.starts_with(&canonical_path(p)))
    })?;
    let f = &mut g.faults[idx];
    f.remaining = f.remaining.saturating_sub(1);
    let mode = f.mode.clone();
    if f.remaining == 0 {
        g.faults.remove(idx);
    }
    Some(mode)
}

fn bearer_ok(s: &Shared, headers: &HeaderMap) -> bool {
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
    else {
        return false;
    };
    let g = s.lock();
    g.tokens
        .get(token.trim())
        .is_some_and(|t| !t.revoked && Instant::now() < t.expires_at)
}

// ------------------------------------------------------------------- OAuth

async fn form_fields(req: Request) -> HashMap<String, String> {
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut out = HashMap::new();
    if ctype.starts_with("multipart/form-data") {
        if let Ok(mut mp) = Multipart::from_request(req, &()).await {
            while let Ok(Some(field)) = mp.next_field().await {
                let name = field.name().unwrap_or("").to_string();
                if let Ok(text) = field.text().await {
                    out.insert(name, text);
                }
            }
        }
        return out;
    }
    let body = axum::body::to_bytes(req.into_body(), 1 << 16).await.unwrap_or_default();
    if ctype.starts_with("application/json") {
        if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&body) {
            for (k, v) in m {
                if let Value::String(s) = v {
                    out.insert(k, s);
                }
            }
        }
        return out;
    }
    let body_text = String::from_utf8_lossy(&body);
    let query = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{body_text}").parse().unwrap_or_default(),
    );
    if let Ok(axum::extract::Query(pairs)) = query {
        out.extend(pairs);
    }
    out
}

fn credentials_ok(s: &Shared, f: &HashMap<String, String>) -> bool {
    f.get("client_id").map(String::as_str) == Some(s.config.client_id.as_str())
        && f.get("client_secret").map(String::as_str) == Some(s.config.client_secret.as_str())
}

fn invalid_client() -> Response {
    api_error(
        StatusCode::UNAUTHORIZED,
        "Client authentication failed due to unknown client or invalid credentials",
    )
}

async fn handle_oauth(s: &Shared, method: &Method, path: &str, req: Request) -> Response {
    match (method.as_str(), path) {
        ("POST", "/oauth/token") => {
            let f = form_fields(req).await;
            if f.get("grant_type").map(String::as_str) != Some("client_credentials") {
                return api_error(StatusCode::BAD_REQUEST, "grant_type must be client_credentials");
            }
            if !credentials_ok(s, &f) {
                return invalid_client();
            }
            let token = format!("{}{}", uuid().replace('-', ""), docs::mpesa_reference());
            let mut g = s.lock();
            g.tokens_issued += 1;
            g.tokens.insert(
                token.clone(),
                TokenRec {
                    expires_at: Instant::now() + s.config.token_ttl,
                    issued_epoch: docs::epoch_secs(),
                    revoked: false,
                },
            );
            json_response(
                StatusCode::OK,
                &json!({ "access_token": token, "token_type": "Bearer",
                         "expires_in": s.config.token_ttl.as_secs(), "created_at": iso_now() }),
            )
        }
        ("POST", "/oauth/revoke") => {
            let f = form_fields(req).await;
            if !credentials_ok(s, &f) {
                return invalid_client();
            }
            if let Some(t) = f.get("token")
                && let Some(rec) = s.lock().tokens.get_mut(t)
            {
                rec.revoked = true;
            }
            json_response(StatusCode::OK, &json!({}))
        }
        ("POST", "/oauth/introspect") => {
            let f = form_fields(req).await;
            if !credentials_ok(s, &f) {
                return invalid_client();
            }
            let g = s.lock();
            let rec = f.get("token").and_then(|t| g.tokens.get(t));
            match rec {
                Some(r) if !r.revoked && Instant::now() < r.expires_at => {
                    let left = r.expires_at.saturating_duration_since(Instant::now()).as_secs() as i64;
                    json_response(
                        StatusCode::OK,
                        &json!({ "active": true, "scope": "", "client_id": s.config.client_id,
                                 "token_type": "Bearer", "exp": docs::epoch_secs() + left, "iat": r.issued_epoch }),
                    )
                }
                _ => json_response(StatusCode::OK, &json!({ "active": false })),
            }
        }
        ("GET" | "HEAD", "/oauth/token/info") => {
            let token = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|t| t.trim().to_string());
            let g = s.lock();
            match token.as_ref().and_then(|t| g.tokens.get(t)) {
                Some(r) if !r.revoked && Instant::now() < r.expires_at => json_response(
                    StatusCode::OK,
                    &json!({ "resource_owner_id": null, "scope": [],
                             "expires_in": r.expires_at.saturating_duration_since(Instant::now()).as_secs(),
                             "application": { "uid": s.config.client_id }, "created_at": r.issued_epoch }),
                ),
                _ => unauthorized(),
            }
        }
        _ => api_error(StatusCode::NOT_FOUND, "Not Found"),
    }
}

// --------------------------------------------------------------------- API

fn created(s: &Shared, collection_path: &str, id: &str) -> Response {
    let location = format!("{}{}/{}", s.base_url, collection_path, id);
    let mut r = StatusCode::CREATED.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn till_invalid(till: &str) -> bool {
    till.trim_start_matches('K') == TILL_INVALID.trim_start_matches('K')
}

macro_rules! parse_valid {
    ($ty:ty, $body:expr, $collection:expr) => {
        match <$ty>::from_wire($body).and_then(|r| r.validate().map(|_| r)) {
            Ok(r) => r,
            Err(e) => return bad_request($collection, &e, $body),
        }
    };
}

fn handle_api(s: &AppState, method: &Method, path: &str, body: &[u8]) -> Response {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["api", "v2", "webhook_subscriptions"]) => {
            let r = parse_valid!(WebhookSubscriptionRequest, body, "webhook_subscriptions");
            if r.scope == "till" && r.scope_reference.as_deref().is_some_and(till_invalid) {
                return api_error(StatusCode::BAD_REQUEST, "Invalid scope reference");
            }
            let id = uuid();
            let mut g = s.lock();
            g.subscriptions.push(Subscription {
                event_type: r.event_type.clone(),
                url: r.url.clone(),
                daraja: r.enable_daraja_payload.unwrap_or(false),
            });
            g.docs.insert(
                format!("webhook_subscriptions/{id}"),
                json!({ "id": id, "event_type": r.event_type, "url": r.url, "scope": r.scope,
                        "scope_reference": r.scope_reference }),
            );
            drop(g);
            created(s, "/api/v2/webhook_subscriptions", &id)
        }
        ("POST", ["api", "v2", "incoming_payments"]) => {
            let r = parse_valid!(IncomingPaymentRequest, body, "incoming_payments");
            if till_invalid(&r.till_number) {
                return api_error(StatusCode::BAD_REQUEST, "Till number is invalid");
            }
            create_incoming_payment(s, r)
        }
        ("POST", ["api", "v2", "merchant_wallets"]) => {
            let r = parse_valid!(MerchantWalletRequest, body, "merchant_wallets");
            store_plain(s, "merchant_wallets", serde_json::to_value(&r).unwrap_or_default())
        }
        ("POST", ["api", "v2", "merchant_bank_accounts"]) => {
            let r = parse_valid!(MerchantBankAccountRequest, body, "merchant_bank_accounts");
            store_plain(
                s,
                "merchant_bank_accounts",
                serde_json::to_value(&r).unwrap_or_default(),
            )
        }
        ("POST", ["api", "v2", "external_recipients"]) => {
            let r = parse_valid!(ExternalRecipientRequest, body, "external_recipients");
            let id = uuid();
            let mut g = s.lock();
            if let Some(key) = external_recipient_key(&r) {
                g.recipients.insert(key, id.clone());
            }
            g.docs.insert(
                format!("external_recipients/{id}"),
                serde_json::to_value(&r).unwrap_or_default(),
            );
            drop(g);
            created(s, "/api/v2/external_recipients", &id)
        }
        ("POST", ["api", "v2", "send_money"]) => {
            let r = parse_valid!(SendMoneyRequest, body, "send_money");
            if r.source_identifier.as_deref().is_some_and(till_invalid) {
                return api_error(StatusCode::BAD_REQUEST, "Till number is invalid");
            }
            create_send_money(s, r, body)
        }
        ("POST", ["api", "v2", "polling"]) => {
            let r = parse_valid!(PollingRequest, body, "polling");
            if r.scope_reference.as_deref().is_some_and(till_invalid) {
                return api_error(StatusCode::BAD_REQUEST, "Scope reference is invalid");
            }
            create_polling(s, r)
        }
        ("POST", ["api", "v1", "transaction_sms_notifications"]) => {
            let r = parse_valid!(SmsNotificationRequest, body, "transaction_sms_notifications");
            create_sms(s, r)
        }
        ("POST", ["api", "v2", "reversals"]) => {
            let r = parse_valid!(ReversalRequest, body, "reversals");
            create_reversal(s, r)
        }
        ("POST", ["api", "v2", "payment_links"]) => {
            let r = parse_valid!(PaymentLinkRequest, body, "payment_links");
            if till_invalid(&r.till_number) {
                return api_error(StatusCode::BAD_REQUEST, "Till number is invalid");
            }
            create_payment_link(s, r)
        }
        ("POST", ["api", "v2", "payment_links", id, "cancel"]) => cancel_payment_link(s, id),
        ("GET" | "HEAD", ["api", version, collection, id]) => {
            let key = format!("{collection}/{id}");
            let known = matches!(
                (*version, *collection),
                (
                    "v2",
                    "incoming_payments" | "send_money" | "polling" | "reversals" | "payment_links"
                ) | ("v1", "transaction_sms_notifications")
            );
            match s.lock().docs.get(&key) {
                Some(doc) if known => json_response(StatusCode::OK, doc),
                _ if *collection == "payment_links" => api_error(StatusCode::NOT_FOUND, "Payment link not found"),
                _ => api_error(StatusCode::NOT_FOUND, "The specified resource could not be found"),
            }
        }
        // Wrong methods on documented paths were answered (405) in `handle`.
        _ => api_error(StatusCode::NOT_FOUND, "The specified resource could not be found"),
    }
}

fn store_plain(s: &Shared, collection: &str, value: Value) -> Response {
    let id = uuid();
    s.lock().docs.insert(format!("{collection}/{id}"), value);
    created(s, &format!("/api/v2/{collection}"), &id)
}

fn self_link(s: &Shared, collection_path: &str, id: &str) -> String {
    format!("{}{}/{}", s.base_url, collection_path, id)
}

/// Stores `doc` and, after the callback delay, applies `finish` to it, stores
/// the result and POSTs it signed to `callback_url` (unless `finish` is None).
fn schedule(s: &AppState, key: String, doc: Value, callback_url: String, finish: Option<Finish>) {
    s.lock().docs.insert(key.clone(), doc);
    let Some(finish) = finish else { return };
    let s = Arc::clone(s);
    tokio::spawn(async move {
        tokio::time::sleep(s.config.callback_delay).await;
        let body = {
            let mut g = s.lock();
            let Some(doc) = g.docs.get_mut(&key) else { return };
            finish(doc);
            doc.to_string()
        };
        deliver(&s, callback_url, body.into_bytes()).await;
    });
}

/// A JSON POST signed the way Kopo Kopo signs webhooks and results.
fn signed_post(url: String, body: Vec<u8>, api_key: &str, agent: &str) -> HttpRequest {
    HttpRequest {
        method: kopokopo::Method::Post,
        url,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("user-agent".into(), format!("{agent}/{}", env!("CARGO_PKG_VERSION"))),
            (
                webhooks::SIGNATURE_HEADER.to_ascii_lowercase(),
                webhooks::sign(&body, api_key),
            ),
        ],
        body,
    }
}

async fn deliver(s: &AppState, url: String, body: Vec<u8>) {
    // The simulator only ever calls back to loopback listeners: callback URLs
    // on other hosts (documentation examples) are accepted but not called.
    if !validate::is_loopback_url(&url) {
        s.lock().callbacks_skipped += 1;
        return;
    }
    let req = signed_post(url, body, &s.config.api_key, "k2-mock");
    let s2 = Arc::clone(s);
    let ok = tokio::task::spawn_blocking(move || s2.http.send(&req).map(|r| r.is_success()).unwrap_or(false))
        .await
        .unwrap_or(false);
    let mut g = s.lock();
    if ok {
        g.callbacks_sent += 1;
    } else {
        g.callbacks_failed += 1;
    }
}

fn create_incoming_payment(s: &AppState, r: IncomingPaymentRequest) -> Response {
    let id = uuid();
    let phone = validate::normalize_phone("phone_number", &r.phone_number).unwrap_or_default();
    let doc = envelope(
        &id,
        "incoming_payment",
        json!({
            "initiation_time": iso_now(),
            "status": "Pending",
            "event": { "type": "Incoming Payment Request", "resource": null, "errors": null },
            "metadata": r.metadata,
            "_links": { "callback_url": r.callback_url, "self": self_link(s, "/api/v2/incoming_payments", &id) }
        }),
    );
    let amount = r.amount.to_string();
    let till = r.till_number.clone();
    let finish: Option<Finish> = match phone.as_str() {
        PHONE_PENDING => None,
        PHONE_INSUFFICIENT | PHONE_INVALID_INITIATOR => {
            let msg = if phone == PHONE_INSUFFICIENT {
                INSUFFICIENT
            } else {
                "The initiator information is invalid."
            };
            Some(Box::new(move |d: &mut Value| {
                let a = &mut d["data"]["attributes"];
                a["status"] = json!("Failed");
                a["event"]["errors"] = json!([msg]);
            }))
        }
        _ => {
            let (first, last) = (r.first_name.clone(), r.last_name.clone());
            Some(Box::new(move |d: &mut Value| {
                let a = &mut d["data"]["attributes"];
                a["status"] = json!("Success");
                a["event"]["resource"] =
                    docs::buygoods_transaction(&phone, &amount, &till, first.as_deref(), last.as_deref());
            }))
        }
    };
    schedule(s, format!("incoming_payments/{id}"), doc, r.callback_url, finish);
    created(s, "/api/v2/incoming_payments", &id)
}

/// Who an external recipient is, as a key: a send money to the same phone,
/// account, till or paybill account reports the same `destination_reference`.
fn recipient_key(kind: &str, parts: &[&str]) -> String {
    let parts: Vec<&str> = parts.iter().map(|p| p.trim()).collect();
    format!("{kind}:{}", parts.join(":"))
}

fn external_recipient_key(r: &ExternalRecipientRequest) -> Option<String> {
    Some(match r {
        ExternalRecipientRequest::MobileWallet { phone_number, .. } => recipient_key(
            "mobile_wallet",
            &[&validate::normalize_phone("phone_number", phone_number).ok()?],
        ),
        ExternalRecipientRequest::BankAccount {
            bank_branch_ref,
            account_number,
            ..
        } => recipient_key("bank_account", &[bank_branch_ref, account_number]),
        ExternalRecipientRequest::Till { till_number, .. } => recipient_key("till", &[till_number]),
        ExternalRecipientRequest::Paybill {
            paybill_number,
            paybill_account_number,
            ..
        } => recipient_key("paybill", &[paybill_number, paybill_account_number]),
    })
}

/// What a disbursement says about its destination: `destination_reference`,
/// and `nickname`/`favourite` for the destinations that carry them
/// (docs/api-notes.md, "Send-money disbursements").
struct DisbursementTarget {
    reference: String,
    nickname_favourite: Option<(Value, bool)>,
}

/// The `destination_reference` of each destination: the `reference` that was
/// sent (merchant wallets and bank accounts), else the id of the external
/// recipient (the one created with `POST /api/v2/external_recipients` for the
/// same phone, account, till or paybill account, or one the simulator records
/// on the first payment, as the API saves recipients), the same every time.
fn disbursement_targets(s: &Shared, dests: &[kopokopo::Destination]) -> Vec<DisbursementTarget> {
    use kopokopo::Destination as D;
    let mut g = s.lock();
    dests
        .iter()
        .map(|d| {
            let (key, nickname, favourite) = match d {
                D::MerchantWallet { reference, .. } | D::MerchantBankAccount { reference, .. } => {
                    return DisbursementTarget {
                        reference: reference.clone(),
                        nickname_favourite: None,
                    };
                }
                D::MobileWallet {
                    phone_number,
                    nickname,
                    favourite,
                    ..
                } => (
                    recipient_key(
                        "mobile_wallet",
                        &[&validate::normalize_phone("phone_number", phone_number).unwrap_or_default()],
                    ),
                    nickname,
                    favourite,
                ),
                D::BankAccount {
                    bank_branch_ref,
                    account_number,
                    nickname,
                    favourite,
                    ..
                } => (
                    recipient_key("bank_account", &[bank_branch_ref, account_number]),
                    nickname,
                    favourite,
                ),
                D::Till {
                    till_number,
                    nickname,
                    favourite,
                    ..
                } => (recipient_key("till", &[till_number]), nickname, favourite),
                D::Paybill {
                    paybill_number,
                    paybill_account_number,
                    nickname,
                    favourite,
                    ..
                } => (
                    recipient_key("paybill", &[paybill_number, paybill_account_number]),
                    nickname,
                    favourite,
                ),
            };
            let reference = g.recipients.entry(key).or_insert_with(uuid).clone();
            DisbursementTarget {
                reference,
                nickname_favourite: Some((json!(nickname), favourite.unwrap_or(false))),
            }
        })
        .collect()
}

fn create_send_money(s: &AppState, r: SendMoneyRequest, body: &[u8]) -> Response {
    let id = uuid();
    let wire: Value = serde_json::from_slice(body).unwrap_or_default();
    let destinations = wire.get("destinations").cloned().unwrap_or(Value::Null);
    let doc = envelope(
        &id,
        "send_money",
        json!({
            "status": "Pending", "created_at": iso_now(), "source_identifier": r.source_identifier,
            "destinations": destinations, "currency": r.currency, "transfer_batches": [],
            "errors": null, "metadata": r.metadata,
            "_links": { "callback_url": r.callback_url, "self": self_link(s, "/api/v2/send_money", &id) }
        }),
    );
    let phones: Vec<Option<String>> = r
        .destinations
        .iter()
        .map(|d| match d {
            kopokopo::Destination::MobileWallet { phone_number, .. } => {
                validate::normalize_phone("p", phone_number).ok()
            }
            _ => None,
        })
        .collect();
    let pending = phones.iter().any(|p| p.as_deref() == Some(PHONE_PENDING));
    let targets = disbursement_targets(s, &r.destinations);
    let settlement = s.settlement_reference.clone();
    let dests = r.destinations.clone();
    let finish: Option<Finish> = if pending {
        None
    } else {
        Some(Box::new(move |d: &mut Value| {
            let mut total = total_amount(&dests);
            let mut disbursements = Vec::new();
            let mut errors = Vec::new();
            for ((dest, phone), target) in dests.iter().zip(phones.iter()).zip(targets) {
                let failed = phone.as_deref() == Some(PHONE_INSUFFICIENT);
                if failed {
                    errors.push(INSUFFICIENT);
                }
                let mut disbursement = json!({
                    "status": if failed { "Failed" } else { "Transferred" },
                    "amount": dest.amount().to_string(),
                    "errors": if failed { json!([INSUFFICIENT]) } else { Value::Null },
                    "origination_time": iso_now(),
                    "destination_type": dest.destination_type(),
                    "destination_reference": target.reference,
                    "transaction_reference": if failed { Value::Null } else { json!(docs::mpesa_reference()) },
                    "phone_number": phone,
                });
                if let Some((nickname, favourite)) = target.nickname_favourite {
                    disbursement["nickname"] = nickname;
                    disbursement["favourite"] = json!(favourite);
                }
                disbursements.push(disbursement);
            }
            if dests.is_empty() {
                total = "10000".into();
                disbursements.push(json!({ "status": "Transferred", "amount": total, "errors": null,
                    "origination_time": iso_now(), "destination_type": "merchant_bank_account",
                    "destination_reference": settlement, "transaction_reference": null }));
            }
            let a = &mut d["data"]["attributes"];
            a["status"] = json!("Processed");
            a["transfer_batches"] =
                json!([{ "status": "Transferred", "amount": total, "disbursements": disbursements }]);
            a["errors"] = if errors.is_empty() { Value::Null } else { json!(errors) };
        }))
    };
    schedule(s, format!("send_money/{id}"), doc, r.callback_url, finish);
    created(s, "/api/v2/send_money", &id)
}

fn total_amount(dests: &[kopokopo::Destination]) -> String {
    let sum = dests.iter().fold(kopokopo::Amount::ZERO.as_decimal(), |acc, d| {
        acc + d.amount().as_decimal()
    });
    kopokopo::Amount::from(sum).to_string()
}

fn create_polling(s: &AppState, r: PollingRequest) -> Response {
    let id = uuid();
    let scope = if r.scope == "till" { "Till" } else { "Company" };
    let till = r.scope_reference.clone().unwrap_or_else(|| "000000".into());
    let doc = envelope(
        &id,
        "polling",
        json!({
            "status": "Pending", "created_at": iso_now(), "from_time": r.from_time, "to_time": r.to_time,
            "transactions": [], "scope": scope, "scope_reference": r.scope_reference,
            "_links": { "callback_url": r.callback_url, "self": self_link(s, "/api/v2/polling", &id) }
        }),
    );
    let finish: Finish = Box::new(move |d: &mut Value| {
        let a = &mut d["data"]["attributes"];
        a["status"] = json!("Success");
        a["transactions"] = docs::polling_transactions(&till);
    });
    schedule(s, format!("polling/{id}"), doc, r.callback_url, Some(finish));
    created(s, "/api/v2/polling", &id)
}

fn create_sms(s: &AppState, r: SmsNotificationRequest) -> Response {
    let id = uuid();
    let doc = envelope(
        &id,
        "transaction_sms_notification",
        json!({
            "status": "Pending", "message": r.message, "webhook_event_reference": r.webhook_event_reference,
            "_links": { "callback_url": r.callback_url,
                        "self": self_link(s, "/api/v1/transaction_sms_notifications", &id) }
        }),
    );
    let finish: Finish = Box::new(|d: &mut Value| {
        d["data"]["attributes"]["status"] = json!("Success");
    });
    schedule(
        s,
        format!("transaction_sms_notifications/{id}"),
        doc,
        r.callback_url,
        Some(finish),
    );
    created(s, "/api/v1/transaction_sms_notifications", &id)
}

fn create_reversal(s: &AppState, r: ReversalRequest) -> Response {
    let id = uuid();
    let doc = envelope(
        &id,
        "reversals",
        json!({
            "status": "Scheduled", "created_at": iso_now(), "transaction_reference": r.transaction_reference,
            "reason": r.reason, "errors": null, "metadata": r.metadata,
            "_links": { "callback_url": r.callback_url, "self": self_link(s, "/api/v2/reversals", &id) }
        }),
    );
    {
        // A transaction whose reversal is still `Scheduled` cannot be reversed
        // again (tests/fixtures/error.reversal.json). Checked and recorded
        // under one lock.
        let mut g = s.lock();
        let pending = g
            .reversals_by_reference
            .get(&r.transaction_reference)
            .and_then(|earlier| g.docs.get(&format!("reversals/{earlier}")))
            .is_some_and(|earlier| earlier["data"]["attributes"]["status"] == "Scheduled");
        if pending {
            return api_error_list(StatusCode::BAD_REQUEST, &[PENDING_REVERSAL]);
        }
        g.reversals_by_reference
            .insert(r.transaction_reference.clone(), id.clone());
        g.docs.insert(format!("reversals/{id}"), doc.clone());
    }
    let reference = r.transaction_reference.to_ascii_uppercase();
    let finish: Option<Finish> = if reference.starts_with("PENDING") {
        None
    } else {
        let fail = reference.starts_with("FAIL");
        Some(Box::new(move |d: &mut Value| {
            let a = &mut d["data"]["attributes"];
            a["status"] = json!("Processed");
            a["reversal_bulk_payment"] = json!({
                "amount": "400.0",
                "status": if fail { "Cancelled" } else { "Transferred" },
                "origination_time": iso_now(),
                "transaction_reference": if fail { Value::Null } else { json!(uuid()) },
            });
            if fail {
                a["errors"] = json!([INSUFFICIENT]);
            }
        }))
    };
    schedule(s, format!("reversals/{id}"), doc, r.callback_url, finish);
    created(s, "/api/v2/reversals", &id)
}

fn create_payment_link(s: &AppState, r: PaymentLinkRequest) -> Response {
    let id = uuid();
    let expires = docs::iso_at(docs::epoch_secs() + 7 * 86_400);
    let doc = envelope(
        &id,
        "payment_link",
        json!({
            "status": "Processed", "created_at": iso_now(), "till_name": "K2 Mock Till",
            "till_number": r.till_number, "payment_reference": r.payment_reference, "currency": r.currency,
            "amount": r.amount.to_string(), "note": r.note,
            "payment_link": { "status": "Active", "expires_at": expires,
                              "link": format!("{}/pay/{}", s.base_url, &id[..8]),
                              "transaction_reference": null, "sender_phone_number": null, "origination_time": null },
            "errors": null, "metadata": r.metadata,
            "_links": { "callback_url": r.callback_url, "self": self_link(s, "/api/v2/payment_links", &id) }
        }),
    );
    let reference = r.payment_reference.clone().unwrap_or_default().to_ascii_uppercase();
    s.lock().link_state.insert(id.clone(), "Active".into());
    let finish: Option<Finish> = if reference.starts_with("PAID") {
        Some(Box::new(|d: &mut Value| {
            let l = &mut d["data"]["attributes"]["payment_link"];
            l["status"] = json!("Paid");
            l["transaction_reference"] = json!(docs::mpesa_reference());
            l["sender_phone_number"] = json!("254712345678");
            l["origination_time"] = json!(iso_now());
        }))
    } else if reference.starts_with("FAIL") {
        Some(Box::new(|d: &mut Value| {
            d["data"]["attributes"]["errors"] = json!([INSUFFICIENT]);
        }))
    } else {
        None
    };
    if reference.starts_with("PAID") {
        s.lock().link_state.insert(id.clone(), "Paid".into());
    }
    schedule(s, format!("payment_links/{id}"), doc, r.callback_url, finish);
    created(s, "/api/v2/payment_links", &id)
}

fn cancel_payment_link(s: &AppState, id: &str) -> Response {
    let key = format!("payment_links/{id}");
    let mut g = s.lock();
    let state = g.link_state.get(id).cloned();
    match state.as_deref() {
        None => api_error(StatusCode::NOT_FOUND, "Payment link not found"),
        Some("Active") => {
            g.link_state.insert(id.to_string(), "Cancelled".into());
            let mut callback = None;
            if let Some(doc) = g.docs.get_mut(&key) {
                doc["data"]["attributes"]["payment_link"]["status"] = json!("Cancelled");
                callback = doc["data"]["attributes"]["_links"]["callback_url"]
                    .as_str()
                    .map(|u| (u.to_string(), doc.to_string()));
            }
            drop(g);
            if let Some((url, body)) = callback {
                let s = Arc::clone(s);
                tokio::spawn(async move {
                    tokio::time::sleep(s.config.callback_delay).await;
                    deliver(&s, url, body.into_bytes()).await;
                });
            }
            json_response(StatusCode::OK, &json!({ "message": "Payment link cancelled." }))
        }
        Some(_) => api_error(StatusCode::BAD_REQUEST, "Only active payment links can be cancelled."),
    }
}

// ------------------------------------------------------------------- admin

/// `Host` values the admin endpoints answer to: the simulator only listens on
/// loopback, so anything else is a DNS-rebinding attempt (a web page whose
/// host name now resolves to 127.0.0.1).
fn is_loopback_host(host: &str) -> bool {
    let split = if host.starts_with('[') {
        host.find(']').map(|i| i + 1)
    } else {
        Some(host.find(':').unwrap_or(host.len()))
    };
    let Some(at) = split else { return false };
    let (name, port) = host.split_at(at);
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost") || name == "[::1]")
}

/// `Origin` values the admin endpoints accept: a page served from loopback
/// over plain HTTP (another local tool). Browsers send `Origin` on every
/// cross-origin POST, so a foreign web page is refused.
fn is_loopback_origin(origin: &str) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| !host.contains('/') && is_loopback_host(host))
}

fn content_type_is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

fn admin_needs_json() -> Response {
    api_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "admin requests with a body must be sent as Content-Type: application/json",
    )
}

/// CSRF and DNS-rebinding protection for `/__admin/*`: a web page open in the
/// developer's browser must not be able to reconfigure a running simulator.
/// Refuses (403) a non-loopback `Host` or a non-loopback `Origin`, and (415)
/// a non-JSON `Content-Type` on a request that may carry a body: the forms and
/// `fetch` "simple requests" a page can send without a CORS preflight are
/// `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`.
/// The simulated Kopo Kopo API itself is not affected.
fn admin_guard(method: &Method, headers: &HeaderMap) -> Option<Response> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(is_loopback_host) {
        return Some(api_error(
            StatusCode::FORBIDDEN,
            "admin endpoints answer only to a loopback Host (127.0.0.1, localhost, [::1])",
        ));
    }
    for origin in headers.get_all(header::ORIGIN) {
        if !origin.to_str().is_ok_and(is_loopback_origin) {
            return Some(api_error(
                StatusCode::FORBIDDEN,
                "admin endpoints refuse requests from a non-loopback Origin",
            ));
        }
    }
    let may_have_body = !matches!(*method, Method::GET | Method::HEAD);
    if may_have_body && headers.contains_key(header::CONTENT_TYPE) && !content_type_is_json(headers) {
        return Some(admin_needs_json());
    }
    None
}

async fn handle_admin(s: &AppState, method: &Method, path: &str, body: &[u8]) -> Response {
    let v: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).unwrap_or(json!({}))
    };
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "counters") => {
            let g = s.lock();
            json_response(
                StatusCode::OK,
                &json!({ "requests": g.counters, "tokens_issued": g.tokens_issued,
                         "callbacks_sent": g.callbacks_sent, "callbacks_failed": g.callbacks_failed,
                         "callbacks_skipped": g.callbacks_skipped }),
            )
        }
        ("POST", "reset") => {
            let mut g = s.lock();
            g.counters.clear();
            g.faults.clear();
            g.tokens_issued = 0;
            g.callbacks_sent = 0;
            g.callbacks_failed = 0;
            g.callbacks_skipped = 0;
            json_response(StatusCode::OK, &json!({ "ok": true }))
        }
        ("POST", "expire-tokens") => {
            let mut g = s.lock();
            let now = Instant::now();
            for t in g.tokens.values_mut() {
                t.expires_at = now;
            }
            json_response(StatusCode::OK, &json!({ "ok": true }))
        }
        ("POST", "faults") => {
            let count = v.get("count").and_then(Value::as_u64).unwrap_or(1).max(1);
            let mode = match v
                .get("mode")
                .map(|m| m.as_str().map(str::to_string).unwrap_or_else(|| m.to_string()))
            {
                Some(m) => m,
                None => return api_error(StatusCode::BAD_REQUEST, "mode is required"),
            };
            let mode = match mode.as_str() {
                "429" => FaultMode::TooMany(v.get("retry_after").and_then(Value::as_u64).unwrap_or(1)),
                "500" => FaultMode::Status(500),
                "503" => FaultMode::Status(503),
                "hang" => FaultMode::Hang,
                "malformed_json" => FaultMode::Malformed,
                "close" => FaultMode::Close,
                "delay" => FaultMode::Delay(Duration::from_millis(
                    v.get("delay_ms").and_then(Value::as_u64).unwrap_or(500),
                )),
                other => return api_error(StatusCode::BAD_REQUEST, &format!("unknown fault mode {other}")),
            };
            let path = v.get("path").and_then(Value::as_str).map(str::to_string);
            s.lock().faults.push_back(Fault {
                mode,
                remaining: count,
                path,
            });
            json_response(StatusCode::OK, &json!({ "ok": true }))
        }
        ("POST", "trigger") => {
            let topic = v.get("topic").and_then(Value::as_str).unwrap_or("");
            let daraja_override = v.get("daraja").and_then(Value::as_bool);
            let targets: Vec<(String, bool)> = match v.get("url").and_then(Value::as_str) {
                Some(u) => vec![(u.to_string(), daraja_override.unwrap_or(false))],
                None => s
                    .lock()
                    .subscriptions
                    .iter()
                    .filter(|sub| sub.event_type == topic)
                    .map(|sub| (sub.url.clone(), daraja_override.unwrap_or(sub.daraja)))
                    .collect(),
            };
            let mut sent = 0;
            for (url, daraja) in targets {
                let Some(event) = docs::sample_event(topic, daraja) else {
                    return api_error(StatusCode::BAD_REQUEST, &format!("unknown topic {topic}"));
                };
                deliver(s, url, event.to_string().into_bytes()).await;
                sent += 1;
            }
            json_response(StatusCode::OK, &json!({ "sent": sent }))
        }
        _ => api_error(StatusCode::NOT_FOUND, "unknown admin endpoint"),
    }
}

/// Sends a signed sample event (webhook topic or result kind) to `url`,
/// blocking. Used by `k2 trigger`. Returns the HTTP status of the receiver.
pub fn trigger(topic: &str, url: &str, api_key: &str, daraja: bool) -> Result<u16, String> {
    validate::secure_url("url", url).map_err(|e| e.to_string())?;
    let event = docs::sample_event(topic, daraja).ok_or_else(|| {
        format!(
            "unknown topic `{topic}`; webhook topics: {}; results: {}",
            docs::webhook_topics().join(", "),
            docs::RESULT_KINDS.join(", ")
        )
    })?;
    let req = signed_post(url.to_string(), event.to_string().into_bytes(), api_key, "k2-trigger");
    UreqTransport::new(Duration::from_secs(10), Duration::from_secs(5))
        .send(&req)
        .map(|r| r.status)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(canonical_path("/api/api/v2/reversals"), "/api/v2/reversals");
        assert_eq!(canonical_path("/api/v1/incoming_payments"), "/api/v2/incoming_payments");
        assert_eq!(
            canonical_path("/api/v1/transaction_sms_notifications/x"),
            "/api/v1/transaction_sms_notifications/x"
        );
        assert_eq!(
            route_key(
                &Method::GET,
                "/api/v2/incoming_payments/247b1bd8-f5a0-4b71-a898-f62f67b8ae1c"
            ),
            "GET /api/v2/incoming_payments/{id}"
        );
        assert_eq!(
            route_key(&Method::POST, "/api/v2/payment_links/247b1bd8-f5a0/cancel"),
            "POST /api/v2/payment_links/{id}/cancel"
        );
    }

    #[test]
    fn loopback_hosts_and_origins() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost",
            "LOCALHOST:1",
            "[::1]",
            "[::1]:65535",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
            assert!(is_loopback_origin(&format!("http://{ok}")), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:8080",
            "127.0.0.1.evil.example",
            "localhost.evil.example:80",
            "127.0.0.2",
            "0.0.0.0:80",
            "[::1",
            "[::2]:80",
            "127.0.0.1:",
            "127.0.0.1:80x",
            "127.0.0.1:123456",
            "localhost:80@evil.example",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
        for bad in [
            "null",
            "https://evil.example",
            "http://evil.example",
            "https://127.0.0.1:8080",
            "http://127.0.0.1:8080/x",
            "http://localhost.evil.example",
            "file://",
        ] {
            assert!(!is_loopback_origin(bad), "{bad}");
        }
    }

    #[test]
    fn messages() {
        let e = K2Error::InvalidArgument {
            field: "till_number".into(),
            reason: "is required and must not be blank".into(),
        };
        assert_eq!(validation_message(&e), "Till number can't be blank");
    }

    #[test]
    fn documented_texts() {
        let e = |field: &str, reason: &str| K2Error::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        };
        assert_eq!(field_pattern("destinations[12].type"), "destinations.type");
        let cases = [
            (
                "send_money",
                "destinations[1].type",
                "is required",
                br#"{}"#.as_slice(),
                Some("Destination type can't be blank"),
            ),
            (
                "send_money",
                "destinations[0].type",
                "must be one of: x",
                br#"{"destinations":[{"type":" "}]}"#,
                Some("Destination type can't be blank"),
            ),
            (
                "send_money",
                "destinations[0].type",
                "must be one of: x",
                br#"{"destinations":[{"type":"x"}]}"#,
                Some("Destination type is invalid"),
            ),
            (
                "send_money",
                "destinations[0].reference",
                "missing field `reference`",
                b"{}",
                Some("Destination reference is invalid"),
            ),
            (
                "external_recipients",
                "type",
                "is required",
                b"{}",
                Some("Invalid recipient type"),
            ),
            (
                "external_recipients",
                "external_recipient.bank_branch_ref",
                "is required and must not be blank",
                b"{}",
                Some("Bank branch ref is not valid"),
            ),
            (
                "merchant_wallets",
                "first_name",
                "missing field `first_name`",
                b"{}",
                Some("First name can't be blank"),
            ),
            (
                "merchant_wallets",
                "first_name",
                "is too long (at most 1024 bytes)",
                b"{}",
                None,
            ),
            (
                "polling",
                "scope",
                "must be one of: company, till",
                b"{}",
                Some("Scope is invalid"),
            ),
            (
                "webhook_subscriptions",
                "scope",
                "must be one of: company, till",
                b"{}",
                None,
            ),
        ];
        for (collection, field, reason, body, want) in cases {
            assert_eq!(
                documented_text(collection, &e(field, reason), body),
                want,
                "{collection} {field}"
            );
        }
        assert_eq!(
            validation_message(&e("last_name", "missing field `last_name`")),
            "Last name can't be blank"
        );
    }

    #[test]
    fn routes_and_accept() {
        assert_eq!(allowed_methods("/api/v2/send_money"), Some(ONLY_POST));
        assert_eq!(allowed_methods("/api/v2/send_money/abc"), Some(ONLY_GET));
        assert_eq!(allowed_methods("/api/v2/payment_links/abc/cancel"), Some(ONLY_POST));
        assert_eq!(
            allowed_methods("/api/v1/transaction_sms_notifications/abc"),
            Some(ONLY_GET)
        );
        assert_eq!(allowed_methods("/oauth/token/info"), Some(ONLY_GET));
        assert_eq!(allowed_methods("/api/v2/merchant_wallets/abc"), None);
        assert_eq!(allowed_methods("/api/v2/nothing"), None);
        let accepts = |values: &[&str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(header::ACCEPT, HeaderValue::from_str(v).unwrap());
            }
            accepts_json(&h)
        };
        for ok in [
            &[][..],
            &[""],
            &["application/json"],
            &["application/json; charset=utf-8"],
            &["*/*"],
            &["application/*;q=0.2"],
            &["text/html", "application/json"],
            &["text/html, APPLICATION/JSON"],
        ] {
            assert!(accepts(ok), "{ok:?}");
        }
        for refused in [
            &["text/html"][..],
            &["application/xml, text/*"],
            &["application/json;q=0"],
            &["application/json; q=0.000, */*;q=0"],
            &["application/jsonx"],
        ] {
            assert!(!accepts(refused), "{refused:?}");
        }
    }
}

#[cfg(test)]
mod lifecycle_tests {
    use std::net::TcpStream;
    use std::time::Duration;

    use super::*;

    #[test]
    fn config_debug_shows_the_settings_and_hides_the_secrets() {
        let config = MockConfig {
            token_ttl: Duration::from_secs(7),
            callback_delay: Duration::from_millis(5),
            ..MockConfig::default()
        };
        let text = format!("{config:?}");
        assert_eq!(
            text,
            r#"MockConfig { port: 0, client_id: "k2-mock-client-id", token_ttl: 7s, callback_delay: 5ms, .. }"#
        );
        assert!(!text.contains(DEFAULT_CLIENT_SECRET) && !text.contains(DEFAULT_API_KEY));
    }

    #[test]
    fn route_keys_template_only_id_like_segments() {
        // An id is a segment after the collection, longer than 8 characters, with a digit.
        assert_eq!(
            route_key(&Method::GET, "/api/v2/incoming_payments/abcdefg12"),
            "GET /api/v2/incoming_payments/{id}"
        );
        assert_eq!(
            route_key(&Method::GET, "/api/v2/incoming_payments/abcdefg1"),
            "GET /api/v2/incoming_payments/abcdefg1"
        );
        assert_eq!(
            route_key(&Method::GET, "/api/v2/incoming_payments/abcdefghi"),
            "GET /api/v2/incoming_payments/abcdefghi"
        );
        // The collection itself (index 3) is never an id, however it is spelled.
        assert_eq!(
            route_key(&Method::POST, "/api/v2/abcdefgh12/"),
            "POST /api/v2/abcdefgh12"
        );
    }

    #[test]
    fn empty_ids_are_not_routes() {
        assert_eq!(allowed_methods("/api/v2/payment_links/x1/cancel"), Some(ONLY_POST));
        assert_eq!(allowed_methods("/api/v2/payment_links//cancel"), None);
        assert_eq!(
            allowed_methods("/api/v1/transaction_sms_notifications/x1"),
            Some(ONLY_GET)
        );
        assert_eq!(allowed_methods("/api/v1/transaction_sms_notifications/"), None);
        assert_eq!(allowed_methods("/api/v2/incoming_payments/x1"), Some(ONLY_GET));
        assert_eq!(allowed_methods("/api/v2/incoming_payments/"), None);
    }

    fn accepts_connections(base_url: &str) -> bool {
        let addr = base_url.trim_start_matches("http://");
        TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(2)).is_ok()
    }

    #[test]
    fn stop_and_drop_close_the_listener() {
        for how in ["stop()", "drop"] {
            let server = MockServer::start(MockConfig::default()).unwrap();
            let url = server.base_url().to_string();
            assert!(accepts_connections(&url));
            if how == "stop()" {
                server.stop();
            } else {
                drop(server);
            }
            assert!(!accepts_connections(&url), "still listening after {how}");
        }
    }
}
