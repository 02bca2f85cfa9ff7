//! The simulator behaves as the documentation says: send-money results echo
//! the destination's `reference` and carry `nickname`/`favourite` (docs/api-notes.md, "Send-money disbursements"),
//! a wrong method is 405 and a request refusing JSON is 406 (docs/api-notes.md, "Documented error messages"), and
//! validation failures use the documentation's own `error_message` texts
//! (`tests/fixtures/error.*.json`), including the reversal error whose
//! `error_message` is an array (docs/api-notes.md, "Error bodies").

use std::path::{Path, PathBuf};
use std::time::Duration;

use kopokopo::webhooks::{self, CallbackResult};
use kopokopo::{Amount, Client, Config, Destination, Error, ReversalRequest, SendMoneyRequest};
use kopokopo_mock::receiver::Receiver;
use kopokopo_mock::{DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig, MockServer};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

fn start(callback_delay: Duration) -> MockServer {
    MockServer::start(MockConfig {
        callback_delay,
        ..MockConfig::default()
    })
    .expect("simulator starts")
}

fn client_for(server: &MockServer) -> Client {
    Client::new(
        Config::builder(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .api_key(DEFAULT_API_KEY)
            .base_url(server.base_url())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap(),
    )
}

fn fixture(name: &str) -> Value {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("tests")
        .join("fixtures")
        .join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One raw HTTP exchange (any method, any headers), status errors included.
struct Raw {
    status: u16,
    allow: Option<String>,
    content_type: Option<String>,
    location: Option<String>,
    body: String,
}

impl Raw {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The id of a created resource (last segment of `Location`).
    fn id(&self) -> String {
        assert_eq!(self.status, 201, "{}", self.body);
        let loc = self.location.as_deref().expect("a Location header");
        loc.rsplit('/').next().unwrap().to_string()
    }
}

struct Api<'a> {
    server: &'a MockServer,
    token: String,
    agent: ureq::Agent,
}

impl<'a> Api<'a> {
    fn new(server: &'a MockServer) -> Api<'a> {
        let token = client_for(server).access_token().unwrap().expose().to_string();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        Api { server, token, agent }
    }

    fn send(&self, method: &str, path: &str, accept: Option<&str>, body: Option<&Value>) -> Raw {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.server.base_url()))
            .header("Authorization", format!("Bearer {}", self.token));
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let bytes = match body {
            Some(b) => {
                req = req.header("Content-Type", "application/json");
                serde_json::to_vec(b).unwrap()
            }
            None => Vec::new(),
        };
        let mut resp = self.agent.run(req.body(bytes).unwrap()).unwrap();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (allow, content_type, location) = (header("allow"), header("content-type"), header("location"));
        Raw {
            status: resp.status().as_u16(),
            allow,
            content_type,
            location,
            body: resp.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn post(&self, path: &str, body: &Value) -> Raw {
        self.send("POST", path, Some("application/json"), Some(body))
    }
}

/// `{"error_code": <int>, "error_message": "..."}` with the given code.
fn assert_error_shape(r: &Raw, code: u16) -> String {
    assert_eq!(r.status, code, "{}", r.body);
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    let v = r.json();
    let obj = v.as_object().expect("an object");
    assert_eq!(obj.len(), 2, "{v}");
    assert_eq!(v["error_code"], json!(code), "{v}");
    v["error_message"]
        .as_str()
        .unwrap_or_else(|| panic!("string error_message: {v}"))
        .to_string()
}

fn wallet(phone: &str, nickname: Option<&str>, favourite: Option<bool>) -> Destination {
    Destination::MobileWallet {
        phone_number: phone.into(),
        network: "Safaricom".into(),
        amount: Amount::from_units(1000),
        description: "Testing".into(),
        nickname: nickname.map(str::to_string),
        favourite,
    }
}

// ----------------------------------------------------------------- item 1

#[test]
fn send_money_result_echoes_references_and_carries_nickname_and_favourite() {
    let server = start(Duration::from_millis(50));
    let client = client_for(&server);
    let api = Api::new(&server);
    let rx = Receiver::start().unwrap();
    let send = |destinations: Vec<Destination>, path: &str| {
        client
            .send_money()
            .create(&SendMoneyRequest {
                destinations,
                source_identifier: Some("4321".into()),
                callback_url: format!("{}{path}", rx.url()),
                ..Default::default()
            })
            .unwrap();
        let d = rx.next_at(path, WAIT).unwrap_or_else(|| panic!("callback {path}"));
        let raw: Value = serde_json::from_slice(&d.body).unwrap();
        let CallbackResult::SendMoney(typed) =
            webhooks::parse_result(&d.body, d.signature.as_deref(), DEFAULT_API_KEY).unwrap()
        else {
            panic!("{path}: not a send-money result")
        };
        (raw, typed)
    };

    // Own accounts: `destination_reference` is the `reference` that was sent.
    for (path, dest) in [
        (
            "/bank",
            Destination::MerchantBankAccount {
                reference: "e479b8de-d05d-46f1-89ea-27948293f5df".into(),
                amount: Amount::from_units(100),
                description: None,
            },
        ),
        (
            "/wallet",
            Destination::MerchantWallet {
                reference: "af033d43-75f7-4123-b5c3-252377d96739".into(),
                amount: Amount::from_units(250),
                description: None,
            },
        ),
    ] {
        let sent = match &dest {
            Destination::MerchantBankAccount { reference, .. } | Destination::MerchantWallet { reference, .. } => {
                reference.clone()
            }
            _ => unreachable!(),
        };
        let (raw, typed) = send(vec![dest], path);
        let disb = &typed.transfer_batches[0].disbursements[0];
        assert_eq!(disb.destination_reference.as_deref(), Some(sent.as_str()), "{path}");
        // Own accounts have no nickname/favourite in the request: none invented.
        let raw_disb = &raw["data"]["attributes"]["transfer_batches"][0]["disbursements"][0];
        assert!(
            raw_disb.get("nickname").is_none() && raw_disb.get("favourite").is_none(),
            "{raw_disb}"
        );
    }

    // External mobile wallets: nickname and favourite from each destination,
    // as in the documented result (docs/api-notes.md, "Send-money disbursements"); the same keys as its
    // disbursements.
    let (raw, typed) = send(
        vec![
            wallet("254900000000", Some("Jane Doe"), Some(true)),
            wallet("254900111111", None, None),
        ],
        "/ext",
    );
    let disbs = &typed.transfer_batches[0].disbursements;
    assert_eq!(disbs.len(), 2);
    assert_eq!(disbs[0].nickname.as_deref(), Some("Jane Doe"));
    assert_eq!(disbs[0].favourite, Some(true));
    assert_eq!(disbs[1].nickname, None);
    assert_eq!(disbs[1].favourite, Some(false), "not marked favourite");
    let documented = fixture("result.send_money.success.json");
    let documented_keys: Vec<&String> = documented["data"]["attributes"]["transfer_batches"][0]["disbursements"][0]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    for d in raw["data"]["attributes"]["transfer_batches"][0]["disbursements"]
        .as_array()
        .unwrap()
    {
        for k in &documented_keys {
            assert!(
                d.get(k.as_str()).is_some(),
                "disbursement lacks documented key {k}: {d}"
            );
        }
    }
    // The recipient's reference is stable: paying the same phone again
    // reports the same destination_reference (the API saves recipients).
    let first_ref = disbs[0].destination_reference.clone().expect("a reference");
    assert_ne!(Some(&first_ref), disbs[1].destination_reference.as_ref());
    let (_, again) = send(vec![wallet("+254 900 000 000", Some("Jane"), Some(false))], "/again");
    let d = &again.transfer_batches[0].disbursements[0];
    assert_eq!(d.destination_reference.as_ref(), Some(&first_ref));
    assert_eq!((d.nickname.as_deref(), d.favourite), (Some("Jane"), Some(false)));

    // External recipients created first: their ids are the destination_reference.
    let till_id = api
        .post(
            "/api/v2/external_recipients",
            &fixture("request.external_recipient.till.json"),
        )
        .id();
    let (_, till) = send(
        vec![Destination::Till {
            till_number: "000000".into(),
            amount: Amount::from_units(10),
            description: "Lunch".into(),
            nickname: Some("JD".into()),
            favourite: Some(true),
        }],
        "/till",
    );
    let d = &till.transfer_batches[0].disbursements[0];
    assert_eq!(d.destination_type.as_deref(), Some("till"));
    assert_eq!(d.destination_reference.as_deref(), Some(till_id.as_str()));
    assert_eq!((d.nickname.as_deref(), d.favourite), (Some("JD"), Some(true)));
    let paybill_id = api
        .post(
            "/api/v2/external_recipients",
            &json!({ "type": "paybill", "external_recipient": {
                "paybill_name": "KPLC", "paybill_number": "888880", "paybill_account_number": "12345" } }),
        )
        .id();
    let (_, paybill) = send(
        vec![Destination::Paybill {
            paybill_number: "888880".into(),
            paybill_account_number: "12345".into(),
            amount: Amount::from_units(10),
            description: "Power".into(),
            nickname: None,
            favourite: None,
        }],
        "/paybill",
    );
    let d = &paybill.transfer_batches[0].disbursements[0];
    assert_eq!(d.destination_reference.as_deref(), Some(paybill_id.as_str()));
    assert_eq!((d.nickname.as_deref(), d.favourite), (None, Some(false)));

    // The documentation's own request (two wallets with nicknames): each
    // disbursement has the nickname and favourite of its destination.
    let mut body = fixture("request.send_money.external_recipients.json");
    body["_links"]["callback_url"] = json!(format!("{}/doc", rx.url()));
    assert_eq!(api.post("/api/v2/send_money", &body).status, 201);
    let d = rx.next_at("/doc", WAIT).expect("documented request's result");
    let raw: Value = serde_json::from_slice(&d.body).unwrap();
    let got: Vec<(Value, Value)> = raw["data"]["attributes"]["transfer_batches"][0]["disbursements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["nickname"].clone(), d["favourite"].clone()))
        .collect();
    assert_eq!(
        got,
        [(json!("Jane Doe"), json!(true)), (json!("John Doe"), json!(true))]
    );
}

// ----------------------------------------------------------------- item 2

#[test]
fn wrong_method_on_a_documented_path_is_405() {
    let server = start(Duration::from_secs(3600));
    let api = Api::new(&server);
    let id = "247b1bd8-f5a0-4b71-a898-f62f67b8ae1c";
    for (method, path, allow) in [
        ("GET", "/api/v2/send_money".to_string(), "POST"),
        ("DELETE", format!("/api/v2/incoming_payments/{id}"), "GET, HEAD"),
        ("PUT", format!("/api/v2/payment_links/{id}"), "GET, HEAD"),
        ("GET", format!("/api/v2/payment_links/{id}/cancel"), "POST"),
        ("PATCH", "/api/v2/webhook_subscriptions".to_string(), "POST"),
        ("GET", "/api/api/v2/reversals".to_string(), "POST"),
        ("GET", "/api/v2/transaction_sms_notifications".to_string(), "POST"),
        (
            "POST",
            format!("/api/v1/transaction_sms_notifications/{id}"),
            "GET, HEAD",
        ),
        ("GET", "/oauth/token".to_string(), "POST"),
        ("POST", "/oauth/token/info".to_string(), "GET, HEAD"),
    ] {
        let body = (method != "GET").then(|| json!({}));
        let r = api.send(method, &path, None, body.as_ref());
        let message = assert_error_shape(&r, 405);
        assert_eq!(message, "You tried to access a resource with an invalid method");
        assert_eq!(r.allow.as_deref(), Some(allow), "{method} {path}");
    }
    // Unknown paths stay 404, whatever the method; right methods still work.
    assert_error_shape(&api.send("DELETE", "/api/v2/nothing_here", None, None), 404);
    assert_error_shape(&api.send("GET", "/api/v2/merchant_wallets/x1234567", None, None), 404);
    let id = created_id(&api, &fixture("request.incoming_payment.json"));
    assert_eq!(
        api.send("GET", &format!("/api/v2/incoming_payments/{id}"), None, None)
            .status,
        200
    );
    assert_eq!(
        api.send("HEAD", &format!("/api/v2/incoming_payments/{id}"), None, None)
            .status,
        200
    );
}

fn created_id(api: &Api<'_>, body: &Value) -> String {
    api.post("/api/v2/incoming_payments", body).id()
}

// ----------------------------------------------------------------- item 2

#[test]
fn a_request_that_refuses_json_is_406() {
    let server = start(Duration::from_secs(3600));
    let api = Api::new(&server);
    let stk = fixture("request.incoming_payment.json");
    let id = created_id(&api, &stk);
    let status_path = format!("/api/v2/incoming_payments/{id}");
    for refused in [
        "text/html",
        "text/html, application/xhtml+xml",
        "application/xml",
        "text/*",
        "application/json;q=0",
        "application/json; q=0.0, text/html",
    ] {
        let r = api.send("POST", "/api/v2/incoming_payments", Some(refused), Some(&stk));
        let message = assert_error_shape(&r, 406);
        assert_eq!(message, "You requested a format that isn't valid json", "{refused}");
        assert_error_shape(&api.send("GET", &status_path, Some(refused), None), 406);
    }
    for accepted in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "*/*",
        "application/*",
        "text/html, application/json;q=0.9",
        "text/html;q=0.5, */*;q=0.1",
        // What the official SDKs send (k2-connect Python, Node): JSON with a suffix.
        "application/vnd.kopokopo.v4.hal+json",
        "application/hal+json",
        "",
    ] {
        let r = api.send("POST", "/api/v2/incoming_payments", Some(accepted), Some(&stk));
        assert_eq!(r.status, 201, "Accept: {accepted:?}: {}", r.body);
        assert_eq!(
            api.send("GET", &status_path, Some(accepted), None).status,
            200,
            "{accepted:?}"
        );
    }
    // No Accept header at all: anything goes.
    assert_eq!(api.send("GET", &status_path, None, None).status, 200);
    // The token endpoint too.
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut r = agent
        .post(&format!("{}/oauth/token", server.base_url()))
        .header("Accept", "text/html")
        .send_form([
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .unwrap();
    assert_eq!(r.status(), 406);
    let v: Value = r.body_mut().read_json().unwrap();
    assert_eq!(v["error_code"], 406);
}

// ----------------------------------------------------------------- item 3

/// `f` applied to a documented request fixture.
fn edited(name: &str, f: impl FnOnce(&mut Value)) -> Value {
    let mut v = fixture(name);
    f(&mut v);
    v
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = if parent.is_empty() {
        Some(&mut *v)
    } else {
        v.pointer_mut(parent)
    };
    match target {
        Some(Value::Object(m)) => {
            m.remove(key);
        }
        Some(Value::Array(a)) => {
            a.remove(key.parse().unwrap());
        }
        other => panic!("{pointer}: {other:?}"),
    }
}

fn set(v: &mut Value, pointer: &str, value: Value) {
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = value;
}

#[test]
fn validation_failures_use_the_documented_error_texts() {
    let server = start(Duration::from_secs(3600));
    let api = Api::new(&server);
    // Every error.*.json fixture the simulator can produce, with the request
    // that produces it: the documented request, minimally broken.
    let cases: Vec<(&str, &str, Value)> = vec![
        (
            "error.webhook_subscription.json",
            "/api/v2/webhook_subscriptions",
            edited("request.webhook_subscription.json", |v| remove(v, "/scope_reference")),
        ),
        (
            "error.webhook_subscription.json",
            "/api/v2/webhook_subscriptions",
            edited("request.webhook_subscription.json", |v| {
                set(v, "/scope_reference", json!(kopokopo_mock::TILL_INVALID))
            }),
        ),
        (
            "error.incoming_payment.json",
            "/api/v2/incoming_payments",
            edited("request.incoming_payment.json", |v| remove(v, "/till_number")),
        ),
        (
            "error.incoming_payment.json",
            "/api/v2/incoming_payments",
            edited("request.incoming_payment.json", |v| set(v, "/till_number", json!("  "))),
        ),
        (
            "error.merchant_wallet.json",
            "/api/v2/merchant_wallets",
            edited("request.merchant_wallet.json", |v| remove(v, "/first_name")),
        ),
        (
            "error.merchant_bank_account.json",
            "/api/v2/merchant_bank_accounts",
            edited("request.merchant_bank_account.json", |v| {
                set(v, "/bank_branch_ref", json!(""))
            }),
        ),
        (
            "error.merchant_bank_account.json",
            "/api/v2/merchant_bank_accounts",
            edited("request.merchant_bank_account.json", |v| remove(v, "/bank_branch_ref")),
        ),
        (
            "error.external_recipient.json",
            "/api/v2/external_recipients",
            edited("request.external_recipient.till.json", |v| {
                set(v, "/type", json!("shop"))
            }),
        ),
        (
            "error.external_recipient.json",
            "/api/v2/external_recipients",
            edited("request.external_recipient.till.json", |v| remove(v, "/type")),
        ),
        (
            "error.send_money.my_accounts.json",
            "/api/v2/send_money",
            edited("request.send_money.my_accounts.json", |v| remove(v, "/_links")),
        ),
        (
            "error.send_money.my_account.json",
            "/api/v2/send_money",
            edited("request.send_money.my_account.json", |v| {
                remove(v, "/destinations/0/reference")
            }),
        ),
        (
            "error.send_money.my_account.json",
            "/api/v2/send_money",
            edited("request.send_money.my_account.json", |v| {
                set(v, "/destinations/0/reference", json!(""))
            }),
        ),
        (
            "error.send_money.external_recipients.json",
            "/api/v2/send_money",
            edited("request.send_money.external_recipients.json", |v| {
                remove(v, "/destinations/1/type")
            }),
        ),
        (
            "error.send_money.external_recipients.json",
            "/api/v2/send_money",
            edited("request.send_money.external_recipients.json", |v| {
                set(v, "/destinations/0/type", json!(""))
            }),
        ),
        (
            "error.polling.json",
            "/api/v2/polling",
            edited("request.polling.json", |v| set(v, "/scope", json!("shop"))),
        ),
        (
            "error.transaction_sms_notification.json",
            "/api/v1/transaction_sms_notifications",
            edited("request.transaction_sms_notification.json", |v| {
                set(v, "/message", json!(""))
            }),
        ),
        (
            "error.payment_link.create.json",
            "/api/v2/payment_links",
            edited("request.payment_link.json", |v| remove(v, "/till_number")),
        ),
    ];
    let mut wrong = Vec::new();
    for (expected, path, body) in &cases {
        let r = api.post(path, body);
        let want = fixture(expected);
        if r.status != want["error_code"] || r.body.is_empty() || r.json() != want {
            wrong.push(format!("{expected} via POST {path}: HTTP {} {}", r.status, r.body));
        }
    }
    assert!(wrong.is_empty(), "not the documented error:\n{}", wrong.join("\n"));

    // Undocumented ones keep the API's style.
    let r = api.post(
        "/api/v2/send_money",
        &edited("request.send_money.external_recipients.json", |v| {
            set(v, "/destinations/0/type", json!("cheque"))
        }),
    );
    assert_eq!(assert_error_shape(&r, 400), "Destination type is invalid");

    // The status and cancel errors of payment links.
    let r = api.send("GET", "/api/v2/payment_links/unknown-link-1", None, None);
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), fixture("error.payment_link.status.json"));
    let link_id = api
        .post("/api/v2/payment_links", &fixture("request.payment_link.json"))
        .id();
    let cancel = format!("/api/v2/payment_links/{link_id}/cancel");
    assert_eq!(api.post(&cancel, &json!({})).status, 200);
    let r = api.post(&cancel, &json!({}));
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), fixture("error.payment_link.cancel.json"));
}

// ----------------------------------------------------------------- item 3

#[test]
fn reversal_of_a_transaction_pending_reversal_answers_the_documented_array() {
    // The documentation's own request, twice, while the first reversal is
    // still scheduled: the documented error, byte for byte in JSON terms.
    let server = start(Duration::from_secs(3600));
    let api = Api::new(&server);
    let documented = fixture("request.reversal.json");
    let first = api.post("/api/api/v2/reversals", &documented);
    assert_eq!(first.status, 201, "{}", first.body);
    let again = api.post("/api/api/v2/reversals", &documented);
    assert_eq!(again.status, 400);
    assert_eq!(again.content_type.as_deref(), Some("application/json"));
    let body = again.json();
    assert_eq!(body, fixture("error.reversal.json"));
    assert!(body["error_code"].is_u64(), "error_code is the documented integer");
    assert!(body["error_message"].is_array(), "error_message is an array");

    // Through the core client: an Api error with the joined message and every entry.
    let server = start(Duration::from_millis(50));
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    let reverse = |reference: &str, path: &str| {
        client.reversals().create(&ReversalRequest {
            transaction_reference: reference.into(),
            reason: "Overpaid".into(),
            callback_url: format!("{}{path}", rx.url()),
            metadata: None,
        })
    };
    reverse("PENDING-7", "/never").unwrap();
    match reverse("PENDING-7", "/never").unwrap_err() {
        e @ Error::Api { .. } => {
            assert_eq!(e.http_status(), Some(400));
            assert_eq!(e.error_code(), Some("400"));
            assert_eq!(
                e.error_message(),
                "You cannot reverse a transaction in Pending Reversal"
            );
            assert_eq!(
                e.error_messages(),
                ["You cannot reverse a transaction in Pending Reversal"]
            );
        }
        other => panic!("{other:?}"),
    }
    // Once a reversal is processed, the transaction is no longer pending reversal.
    reverse("OJJ1MPU40Z", "/done").unwrap();
    rx.next_at("/done", WAIT).expect("reversal result");
    reverse("OJJ1MPU40Z", "/done2").unwrap();

    // Other reversal errors use the same (array) shape.
    let api = Api::new(&server);
    let r = api.post(
        "/api/v2/reversals",
        &edited("request.reversal.json", |v| remove(v, "/reason")),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({ "error_code": 400, "error_message": ["Reason can't be blank"] })
    );
}
