//! The documentation's own examples work: every documented JSON POST request
//! (`tests/fixtures/request.*.json`, as listed in `endpoints.json`) is sent to
//! `k2 mock` byte for byte, with a valid token, and gets the documented
//! success status. A new user copying a request out of the documentation
//! must not be refused by the simulator (docs/api-notes.md).
//!
//! The same fixtures go through the client's validation in
//! `core/tests/fixtures.rs` and, in every binding, through the shared
//! request vectors.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kopokopo::{Client, Config};
use kopokopo_mock::{DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig, MockServer};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("tests")
        .join("fixtures")
}

/// A simulator (results held back), a valid token, and an agent that
/// returns every status.
fn start() -> (MockServer, kopokopo::Secret, ureq::Agent) {
    let server = MockServer::start(MockConfig {
        callback_delay: Duration::from_secs(3600),
        ..MockConfig::default()
    })
    .expect("simulator starts");
    let client = Client::new(
        Config::builder(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .api_key(DEFAULT_API_KEY)
            .base_url(server.base_url())
            .build()
            .unwrap(),
    );
    let token = client.access_token().unwrap();
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    (server, token, agent)
}

#[test]
fn every_documented_post_request_is_accepted() {
    let (server, token, agent) = start();
    let endpoints: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixtures_dir().join("endpoints.json")).unwrap()).unwrap();
    let mut replayed = Vec::new();
    let mut refused = Vec::new();
    for e in &endpoints {
        let json_post = e["method"] == "POST" && e["request_content_type"] == "application/json";
        let Some(fixture) = e["request_fixture"].as_str().filter(|_| json_post) else {
            continue;
        };
        let body = std::fs::read(fixtures_dir().join(fixture)).unwrap();
        let url = format!("{}{}", server.base_url(), e["path"].as_str().unwrap());
        let mut resp = agent
            .post(&url)
            .header("Authorization", &format!("Bearer {}", token.expose()))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .send(&body[..])
            .unwrap();
        let status = resp.status().as_u16();
        let expected = e["success_status"].as_u64().unwrap() as u16;
        if status == expected {
            replayed.push(fixture);
        } else {
            let text = resp.body_mut().read_to_string().unwrap_or_default();
            refused.push(format!("{fixture}: HTTP {status} (expected {expected}): {text}"));
        }
    }
    assert!(
        refused.is_empty(),
        "documented requests refused:\n{}",
        refused.join("\n")
    );
    assert_eq!(replayed.len(), 15, "{replayed:?}");
}

/// The official SDKs send keys the documentation does not list
/// (k2-connect's `subscriber.middle_name`); the API takes them, so the
/// simulator ignores unknown keys in request bodies, at any depth. (Requests
/// built through this library refuse unknown keys: docs/api-notes.md.)
#[test]
fn unknown_keys_in_a_request_body_are_ignored_as_the_api_does() {
    let (server, token, agent) = start();
    let post = |path: &str, body: Value| {
        agent
            .post(&format!("{}{path}", server.base_url()))
            .header("Authorization", &format!("Bearer {}", token.expose()))
            .header("Content-Type", "application/json")
            .header("Accept", "application/vnd.kopokopo.v4.hal+json")
            .send(serde_json::to_vec(&body).unwrap().as_slice())
            .unwrap()
            .status()
            .as_u16()
    };
    let fixture =
        |name: &str| -> Value { serde_json::from_slice(&std::fs::read(fixtures_dir().join(name)).unwrap()).unwrap() };
    let mut stk = fixture("request.incoming_payment.json");
    stk["subscriber"]["middle_name"] = Value::from("N");
    stk["sdk_version"] = Value::from("2.0.0");
    assert_eq!(post("/api/v2/incoming_payments", stk), 201);
    let mut wallet = fixture("request.merchant_wallet.json");
    wallet["extra"] = Value::from(true);
    assert_eq!(post("/api/v2/merchant_wallets", wallet), 201);
    let mut recipient = fixture("request.external_recipient.mobile_wallet.json");
    recipient["external_recipient"]["extra"] = Value::from(1);
    assert_eq!(post("/api/v2/external_recipients", recipient), 201);
    let mut send = fixture("request.send_money.external_recipients.json");
    send["destinations"][1]["extra"] = Value::from("x");
    assert_eq!(post("/api/v2/send_money", send), 201);
    // A known key with a wrong value is still refused.
    let mut bad = fixture("request.incoming_payment.json");
    bad["subscriber"]["middle_name"] = Value::from("N");
    bad["subscriber"]["phone_number"] = Value::from("not a phone");
    assert_eq!(post("/api/v2/incoming_payments", bad), 400);
}
