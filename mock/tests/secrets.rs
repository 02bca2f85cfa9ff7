//! The client secret, API key and access token never appear in Debug output
//! or error messages, including when requests fail.

use std::time::Duration;

use kopokopo::api::{Context, Operation};
use kopokopo::{Amount, Client, Config, IncomingPaymentRequest, webhooks};
use kopokopo_mock::{MockConfig, MockServer};

const SECRET: &str = "CLIENT-SECRET-d41d8cd98f00";
const API_KEY: &str = "API-KEY-9e107d9d372bb682";

fn assert_clean(what: &str, text: &str, token: &str) {
    for s in [SECRET, API_KEY, token] {
        assert!(!s.is_empty() && !text.contains(s), "{what} leaks a secret: {text}");
    }
}

#[test]
fn secrets_never_leak() {
    let server = MockServer::start(MockConfig {
        client_secret: SECRET.into(),
        api_key: API_KEY.into(),
        ..MockConfig::default()
    })
    .unwrap();
    let config = Config::builder(kopokopo_mock::DEFAULT_CLIENT_ID, SECRET)
        .api_key(API_KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let client = Client::new(config.clone());
    let token = client.tokens().request().unwrap();
    let t = token.access_token.clone();
    assert_clean("Config Debug", &format!("{config:?}"), &t);
    assert_clean("Client Debug", &format!("{client:?}"), &t);
    assert_clean("AccessToken Debug", &format!("{token:?}"), &t);
    assert_clean(
        "Secret Debug",
        &format!(
            "{:?} {}",
            client.access_token().unwrap(),
            client.access_token().unwrap()
        ),
        &t,
    );

    // A built request's Debug redacts the bearer token and form bodies.
    let ctx = Context::new(&config);
    let req = kopokopo::api::IncomingPaymentStatus::new("abc")
        .unwrap()
        .build(&ctx, Some(&t))
        .unwrap();
    assert_clean("HttpRequest Debug", &format!("{req:?}"), &t);
    let req = kopokopo::api::RequestToken.build(&ctx, None).unwrap();
    assert_clean("token HttpRequest Debug", &format!("{req:?}"), &t);

    let mut errors = Vec::new();
    // Wrong secret (its own value must not be echoed either).
    let wrong = Client::new(
        Config::builder("x", "WRONG-SECRET-0001")
            .base_url(server.base_url())
            .build()
            .unwrap(),
    );
    let e = wrong.tokens().request().unwrap_err();
    assert!(!format!("{e} {e:?}").contains("WRONG-SECRET-0001"));
    errors.push(e);
    // An API error, an invalid argument, signature errors.
    errors.push(client.payment_links().status("nope-404").unwrap_err());
    errors.push(
        client
            .incoming_payments()
            .create(&IncomingPaymentRequest {
                till_number: "K1".into(),
                phone_number: "07".into(),
                amount: Amount::from_units(1),
                callback_url: "https://e.com".into(),
                ..Default::default()
            })
            .unwrap_err(),
    );
    errors.push(webhooks::parse_webhook(b"{}", Some("00"), API_KEY).unwrap_err());
    errors.push(
        client
            .webhooks()
            .parse_result(b"{}", Some(&"ab".repeat(32)))
            .unwrap_err(),
    );
    // A transport failure: nothing listens on the stopped server's port.
    let base = server.base_url().to_string();
    drop(server);
    let offline = Client::new(
        Config::builder("x", SECRET)
            .api_key(API_KEY)
            .base_url(&base)
            .max_retries(0)
            .build()
            .unwrap(),
    );
    errors.push(offline.tokens().request().unwrap_err());
    errors.push(client.incoming_payments().status("abc").unwrap_err());
    for e in &errors {
        assert_clean("error", &format!("{e} | {e:?}"), &t);
    }
    assert!(errors.iter().any(|e| e.code() == "transport_error"));
}
