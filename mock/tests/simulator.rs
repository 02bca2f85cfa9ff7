//! The core's blocking client against `k2 mock` over real HTTP on loopback:
//! every endpoint, every result callback (signature verified, payload typed),
//! tokens, and every fault mode.

use std::time::Duration;

use kopokopo::webhooks::{self, CallbackResult, Webhook, WebhookResource};
use kopokopo::{
    Amount, Client, Config, Destination, Error, ExternalRecipientRequest, IncomingPaymentRequest,
    MerchantBankAccountRequest, MerchantWalletRequest, PaymentLinkRequest, PollingRequest, ReversalRequest,
    SendMoneyRequest, SmsNotificationRequest, WebhookSubscriptionRequest,
};
use kopokopo_mock::receiver::{Delivery, Receiver};
use kopokopo_mock::{DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig, MockServer};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);

fn start(ttl: u64) -> MockServer {
    MockServer::start(MockConfig {
        token_ttl: Duration::from_secs(ttl),
        callback_delay: Duration::from_millis(50),
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
            .retry_backoff(Duration::from_millis(20), Duration::from_secs(3))
            .build()
            .unwrap(),
    )
}

fn admin(server: &MockServer, method: &str, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}/__admin/{path}", server.base_url());
    let agent = ureq::Agent::new_with_defaults();
    let resp = match (method, body) {
        ("GET", _) => agent.get(&url).call(),
        (_, Some(b)) => agent.post(&url).send_json(b),
        (_, None) => agent.post(&url).send_empty(),
    };
    let mut resp = resp.expect("admin call");
    resp.body_mut().read_json().expect("admin json")
}

fn counter(server: &MockServer, key: &str) -> u64 {
    admin(server, "GET", "counters", None)["requests"][key]
        .as_u64()
        .unwrap_or(0)
}

fn verified_result(d: &Delivery) -> CallbackResult {
    webhooks::parse_result(&d.body, d.signature.as_deref(), DEFAULT_API_KEY).expect("signed, typed result")
}

fn cb(rx: &Receiver, path: &str) -> String {
    format!("{}{path}", rx.url())
}

fn stk(phone: &str, callback: String) -> IncomingPaymentRequest {
    IncomingPaymentRequest {
        till_number: "K000000".into(),
        phone_number: phone.into(),
        first_name: Some("Joe".into()),
        last_name: Some("Buyer".into()),
        amount: Amount::parse("100.50").unwrap(),
        callback_url: callback,
        metadata: Some(serde_json::from_str(r#"{"order":"A-1"}"#).unwrap()),
        ..Default::default()
    }
}

#[test]
fn oauth_token_introspect_info_revoke() {
    let server = start(3600);
    let client = client_for(&server);
    let token = client.tokens().request().unwrap();
    assert_eq!(token.token_type, "Bearer");
    assert_eq!(token.expires_in, 3600);
    let info = client.tokens().introspect(&token.access_token).unwrap();
    assert!(info.active);
    assert_eq!(info.client_id.as_deref(), Some(DEFAULT_CLIENT_ID));
    let ti = client.tokens().info().unwrap();
    assert!(ti.expires_in.unwrap() > 3500);
    client.tokens().revoke(&token.access_token).unwrap();
    assert!(!client.tokens().introspect(&token.access_token).unwrap().active);
    // Wrong credentials: a typed authentication error.
    let bad = Client::new(
        Config::builder("nope", "wrong")
            .base_url(server.base_url())
            .build()
            .unwrap(),
    );
    let e = bad.tokens().request().unwrap_err();
    assert_eq!(e.code(), "authentication_failed");
    assert_eq!(e.http_status(), Some(401));
    let e = bad.incoming_payments().status("abc-123").unwrap_err();
    assert_eq!(e.code(), "authentication_failed");
    // Both credentials must match: the right id with a wrong secret, or the
    // right secret with a wrong id, is refused.
    for (id, secret) in [(DEFAULT_CLIENT_ID, "wrong"), ("nope", DEFAULT_CLIENT_SECRET)] {
        let half = Client::new(Config::builder(id, secret).base_url(server.base_url()).build().unwrap());
        let e = half.tokens().request().unwrap_err();
        assert_eq!(e.code(), "authentication_failed", "{id}");
    }
    // Token info for a revoked token: 401, as for an unknown one.
    let agent = ureq::Agent::new_with_defaults();
    let info = |t: &str| {
        agent
            .get(format!("{}/oauth/token/info", server.base_url()))
            .header("Authorization", format!("Bearer {t}"))
            .call()
            .map(|r| r.status().as_u16())
    };
    let live = client.tokens().request().unwrap();
    assert_eq!(info(&live.access_token).unwrap(), 200);
    client.tokens().revoke(&live.access_token).unwrap();
    assert!(matches!(info(&live.access_token), Err(ureq::Error::StatusCode(401))));
    assert!(matches!(info("unknown"), Err(ureq::Error::StatusCode(401))));
}

#[test]
fn faults_registered_on_an_alias_path_apply_to_the_canonical_one() {
    // Older SDKs call /api/v1/incoming_payments; a fault set on that path
    // applies to the same route however the request spells it.
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    fault(&server, "500", 1, "/api/v1/incoming_payments");
    let e = client
        .incoming_payments()
        .create(&stk("0712345678", cb(&rx, "/x")))
        .unwrap_err();
    assert_eq!(e.http_status(), Some(500));
}

#[test]
fn stk_push_success_failure_pending() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();

    let created = client
        .incoming_payments()
        .create(&stk("0712345678", cb(&rx, "/ok")))
        .unwrap();
    assert!(created.location.ends_with(&created.id));
    let d = rx.next_at("/ok", WAIT).expect("result callback");
    match verified_result(&d) {
        CallbackResult::IncomingPayment(p) => {
            assert_eq!(p.id, created.id);
            assert_eq!(p.status, "Success");
            let tx = p.event.resource.expect("transaction");
            assert_eq!(tx.amount, Some(Amount::parse("100.5").unwrap()));
            assert_eq!(tx.sender_phone_number.as_deref(), Some("+254712345678"));
            assert_eq!(p.metadata["order"], "A-1");
        }
        other => panic!("{other:?}"),
    }
    let status = client.incoming_payments().status(&created.location).unwrap();
    assert_eq!(status.status, "Success");
    // A signature check over re-serialised JSON must fail: only raw bytes verify.
    let reserialised = serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&d.body).unwrap()).unwrap();
    assert_ne!(reserialised, d.body);
    assert!(!webhooks::verify_signature(
        &reserialised,
        d.signature.as_deref(),
        DEFAULT_API_KEY
    ));

    let failed = client
        .incoming_payments()
        .create(&stk("0700000001", cb(&rx, "/fail")))
        .unwrap();
    let d = rx.next_at("/fail", WAIT).unwrap();
    match verified_result(&d) {
        CallbackResult::IncomingPayment(p) => {
            assert_eq!(p.status, "Failed");
            assert!(p.event.resource.is_none());
            assert_eq!(p.event.errors, vec!["The balance is insufficient for the transaction"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(client.incoming_payments().status(&failed.id).unwrap().status, "Failed");

    let pending = client
        .incoming_payments()
        .create(&stk("+254700000002", cb(&rx, "/pending")))
        .unwrap();
    assert!(rx.next_at("/pending", Duration::from_millis(400)).is_none());
    assert_eq!(
        client.incoming_payments().status(&pending.id).unwrap().status,
        "Pending"
    );

    let invalid = client
        .incoming_payments()
        .create(&stk("0700000003", cb(&rx, "/inv")))
        .unwrap();
    let d = rx.next_at("/inv", WAIT).unwrap();
    let CallbackResult::IncomingPayment(p) = verified_result(&d) else {
        panic!("not an incoming payment result")
    };
    assert_eq!(p.event.errors, vec!["The initiator information is invalid."]);
    assert_eq!(client.incoming_payments().status(&invalid.id).unwrap().status, "Failed");
}

#[test]
fn api_errors_are_typed_and_invalid_input_sends_nothing() {
    let server = start(3600);
    let client = client_for(&server);
    let mut r = stk("0712345678", "https://example.com/cb".into());
    r.till_number = "K400400".into();
    match client.incoming_payments().create(&r).unwrap_err() {
        Error::Api {
            http_status,
            error_code,
            error_message,
            ..
        } => {
            assert_eq!(http_status, 400);
            assert_eq!(error_code.as_deref(), Some("400"));
            assert_eq!(error_message, "Till number is invalid");
        }
        e => panic!("{e:?}"),
    }
    let before = counter(&server, "POST /api/v2/incoming_payments");
    assert_eq!(before, 1, "the refused create above was counted");
    let e = client
        .incoming_payments()
        .create(&stk("+255712345678", "https://e.com".into()))
        .unwrap_err();
    assert_eq!(e.field(), Some("phone_number"));
    assert_eq!(counter(&server, "POST /api/v2/incoming_payments"), before);
    let e = client.payment_links().status("does-not-exist").unwrap_err();
    assert_eq!(e.http_status(), Some(404));
    assert!(e.to_string().contains("Payment link not found"));
    // Other resources have the generic text.
    let e = client.incoming_payments().status("does-not-exist").unwrap_err();
    assert_eq!(e.http_status(), Some(404));
    assert!(
        e.to_string().contains("The specified resource could not be found"),
        "{e}"
    );
}

#[test]
fn merchant_accounts_and_external_recipients() {
    let server = start(3600);
    let client = client_for(&server);
    let w = client
        .merchant_wallets()
        .create(&MerchantWalletRequest {
            network: "Safaricom".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            nickname: Some("main".into()),
            phone_number: "0712345678".into(),
        })
        .unwrap();
    assert!(w.location.contains("/api/v2/merchant_wallets/"));
    let b = client
        .merchant_bank_accounts()
        .create(&MerchantBankAccountRequest {
            account_name: "Acme".into(),
            nickname: None,
            bank_branch_ref: "633aa26c-7b7c-4091-ae28-96c0687cf886".into(),
            account_number: "1234567890".into(),
            settlement_method: "EFT".into(),
        })
        .unwrap();
    assert!(b.location.contains("/api/v2/merchant_bank_accounts/"));
    let recipients = [
        ExternalRecipientRequest::MobileWallet {
            first_name: "A".into(),
            last_name: "B".into(),
            phone_number: "0112345678".into(),
            network: "Safaricom".into(),
            email: Some("a@b.co".into()),
            nickname: None,
        },
        ExternalRecipientRequest::BankAccount {
            account_name: "A".into(),
            bank_branch_ref: "x".into(),
            account_number: "1".into(),
            settlement_method: "RTS".into(),
            nickname: Some("n".into()),
        },
        ExternalRecipientRequest::Till {
            till_name: "Shop".into(),
            till_number: "123456".into(),
            nickname: None,
        },
        ExternalRecipientRequest::Paybill {
            paybill_name: "KPLC".into(),
            paybill_number: "888880".into(),
            paybill_account_number: "12345".into(),
            nickname: None,
        },
    ];
    for r in &recipients {
        let c = client.external_recipients().create(r).unwrap();
        assert!(
            c.location.contains("/api/v2/external_recipients/"),
            "{}",
            r.recipient_type()
        );
    }
    assert_eq!(counter(&server, "POST /api/v2/external_recipients"), 4);
}

fn wallet(phone: &str, amount: i64) -> Destination {
    Destination::MobileWallet {
        phone_number: phone.into(),
        network: "Safaricom".into(),
        amount: Amount::from_units(amount),
        description: "Salary".into(),
        nickname: Some("Jane".into()),
        favourite: Some(true),
    }
}

#[test]
fn send_money_all_shapes_with_results() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    let shapes = [
        ("/mine", vec![]),
        (
            "/own",
            vec![Destination::MerchantBankAccount {
                reference: "e479b8de-d05d-46f1-89ea-27948293f5df".into(),
                amount: Amount::from_units(100),
                description: None,
            }],
        ),
        ("/ext", vec![wallet("0712345678", 1000), wallet("0712345679", 500)]),
        ("/extfail", vec![wallet("0700000001", 10)]),
    ];
    for (path, destinations) in shapes {
        let created = client
            .send_money()
            .create(&SendMoneyRequest {
                destinations,
                source_identifier: Some("4321".into()),
                callback_url: cb(&rx, path),
                metadata: Some(serde_json::from_str(r#"{"customerId":"8675309"}"#).unwrap()),
                ..Default::default()
            })
            .unwrap();
        let d = rx.next_at(path, WAIT).unwrap_or_else(|| panic!("callback {path}"));
        let CallbackResult::SendMoney(sm) = verified_result(&d) else {
            panic!("{path}")
        };
        assert_eq!(sm.id, created.id);
        assert_eq!(sm.status, "Processed");
        assert_eq!(sm.transfer_batches.len(), 1);
        if path == "/ext" {
            assert_eq!(sm.transfer_batches[0].amount, Some(Amount::from_units(1500)));
            assert_eq!(sm.transfer_batches[0].disbursements.len(), 2);
            assert_eq!(sm.destinations.len(), 2);
        }
        if path == "/extfail" {
            assert_eq!(sm.errors, vec!["The balance is insufficient for the transaction"]);
            assert_eq!(
                sm.transfer_batches[0].disbursements[0].status.as_deref(),
                Some("Failed")
            );
        }
        let status = client.send_money().status(&created.location).unwrap();
        assert_eq!(status.status, "Processed");
    }
    let pending = client
        .send_money()
        .create(&SendMoneyRequest {
            destinations: vec![wallet("0700000002", 10)],
            callback_url: cb(&rx, "/p"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(client.send_money().status(&pending.id).unwrap().status, "Pending");
}

#[test]
fn polling_sms_reversal_results() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();

    let p = client
        .polling()
        .create(&PollingRequest {
            scope: "till".into(),
            scope_reference: Some("112233".into()),
            from_time: "2021-04-12T08:50:22+03:00".into(),
            to_time: "2021-04-19T08:50:22+03:00".into(),
            callback_url: cb(&rx, "/poll"),
        })
        .unwrap();
    let CallbackResult::Polling(res) = verified_result(&rx.next_at("/poll", WAIT).unwrap()) else {
        panic!()
    };
    assert_eq!(res.status, "Success");
    assert_eq!(res.transactions.len(), 2);
    assert_eq!(res.scope.as_deref(), Some("Till"));
    assert_eq!(client.polling().status(&p.id).unwrap().transactions.len(), 2);

    let s = client
        .sms_notifications()
        .create(&SmsNotificationRequest {
            webhook_event_reference: "c271e1ba-2ae5-4ba3-a8ad-60b2fd2e2e37".into(),
            message: "Thank you for your payment".into(),
            callback_url: cb(&rx, "/sms"),
        })
        .unwrap();
    assert!(s.location.contains("/api/v1/transaction_sms_notifications/"));
    let CallbackResult::SmsNotification(n) = verified_result(&rx.next_at("/sms", WAIT).unwrap()) else {
        panic!()
    };
    assert_eq!(n.status, "Success");
    assert_eq!(n.message.as_deref(), Some("Thank you for your payment"));
    assert_eq!(client.sms_notifications().status(&s.id).unwrap().status, "Success");

    for (reference, reversed) in [("OJJ1MPU40Z", true), ("FAIL-123", false)] {
        let r = client
            .reversals()
            .create(&ReversalRequest {
                transaction_reference: reference.into(),
                reason: "Overpaid".into(),
                callback_url: cb(&rx, "/rev"),
                metadata: None,
            })
            .unwrap();
        let CallbackResult::Reversal(rev) = verified_result(&rx.next_at("/rev", WAIT).unwrap()) else {
            panic!()
        };
        assert_eq!(rev.status, "Processed");
        assert_eq!(rev.is_reversed(), reversed, "{reference}");
        assert_eq!(rev.errors.is_empty(), reversed);
        assert_eq!(client.reversals().status(&r.id).unwrap().is_reversed(), reversed);
    }
    let scheduled = client
        .reversals()
        .create(&ReversalRequest {
            transaction_reference: "PENDING-1".into(),
            reason: "x".into(),
            callback_url: cb(&rx, "/never"),
            metadata: None,
        })
        .unwrap();
    assert_eq!(client.reversals().status(&scheduled.id).unwrap().status, "Scheduled");
}

#[test]
fn payment_links_paid_cancelled_failed() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    let link = |reference: &str, path: &str| PaymentLinkRequest {
        till_number: "112233".into(),
        amount: Amount::from_units(350),
        payment_reference: Some(reference.into()),
        note: Some("Invoice".into()),
        callback_url: cb(&rx, path),
        ..Default::default()
    };
    let paid = client.payment_links().create(&link("PAID-1", "/paid")).unwrap();
    let CallbackResult::PaymentLink(pl) = verified_result(&rx.next_at("/paid", WAIT).unwrap()) else {
        panic!()
    };
    assert_eq!(pl.id, paid.id);
    assert_eq!(pl.payment_link.as_ref().unwrap().status.as_deref(), Some("Paid"));
    assert_eq!(pl.amount, Some(Amount::from_units(350)));
    assert!(client.payment_links().cancel(&paid.id).is_err());

    let active = client.payment_links().create(&link("ORDER-2", "/cancel")).unwrap();
    let status = client.payment_links().status(&active.location).unwrap();
    assert_eq!(status.payment_link.unwrap().status.as_deref(), Some("Active"));
    let c = client.payment_links().cancel(&active.id).unwrap();
    assert_eq!(c.message.as_deref(), Some("Payment link cancelled."));
    let CallbackResult::PaymentLink(pl) = verified_result(&rx.next_at("/cancel", WAIT).unwrap()) else {
        panic!()
    };
    assert_eq!(pl.payment_link.unwrap().status.as_deref(), Some("Cancelled"));
    let e = client.payment_links().cancel(&active.id).unwrap_err();
    assert_eq!(e.http_status(), Some(400));
    assert!(e.to_string().contains("Only active payment links can be cancelled."));

    client.payment_links().create(&link("FAIL-3", "/failed")).unwrap();
    let CallbackResult::PaymentLink(pl) = verified_result(&rx.next_at("/failed", WAIT).unwrap()) else {
        panic!()
    };
    assert_eq!(pl.errors, vec!["The balance is insufficient for the transaction"]);
}

#[test]
fn resources_link_to_themselves_and_links_expire_in_seven_days() {
    let server = start(3600);
    let client = client_for(&server);
    let before = kopokopo_mock::docs::epoch_secs();
    let created = client
        .payment_links()
        .create(&PaymentLinkRequest {
            till_number: "112233".into(),
            amount: Amount::from_units(350),
            payment_reference: Some("ORDER-9".into()),
            callback_url: "https://example.com/never-called".into(),
            ..Default::default()
        })
        .unwrap();
    let after = kopokopo_mock::docs::epoch_secs();
    let status = client.payment_links().status(&created.location).unwrap();
    assert_eq!(
        status.links.self_url.as_deref(),
        Some(format!("{}/api/v2/payment_links/{}", server.base_url(), created.id).as_str())
    );
    let expires = status.payment_link.unwrap().expires_at.unwrap();
    let week = 7 * 86_400;
    assert!(
        (before..=after).any(|t| kopokopo_mock::docs::iso_at(t + week) == expires),
        "{expires}: not seven days after creation"
    );
}

#[test]
fn callbacks_are_counted_sent_or_skipped() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    let counts = |server: &MockServer| {
        let c = admin(server, "GET", "counters", None);
        (c["callbacks_sent"].as_u64(), c["callbacks_skipped"].as_u64())
    };
    let wait_for = |want: (Option<u64>, Option<u64>)| {
        let deadline = std::time::Instant::now() + WAIT;
        while counts(&server) != want && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(counts(&server), want);
    };
    for (sent, path) in [(1, "/a"), (2, "/b")] {
        client
            .incoming_payments()
            .create(&stk("0712345678", cb(&rx, path)))
            .unwrap();
        rx.next_at(path, WAIT).expect("result callback");
        wait_for((Some(sent), Some(0)));
    }
    // A callback URL off loopback is accepted but never called: counted as skipped.
    for skipped in [1, 2] {
        client
            .incoming_payments()
            .create(&stk("0712345678", "https://example.com/k2".into()))
            .unwrap();
        wait_for((Some(2), Some(skipped)));
    }
}

#[test]
fn webhook_subscriptions_and_every_topic() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    for topic in kopokopo_mock::docs::webhook_topics() {
        // The Daraja structure exists for the topics the documentation shows it for.
        let daraja_sample = format!("webhook.{topic}.daraja.json");
        let daraja = kopokopo_mock::docs::SAMPLES.iter().any(|(n, _)| *n == daraja_sample);
        let created = client
            .webhooks()
            .subscribe(&WebhookSubscriptionRequest {
                event_type: topic.into(),
                url: cb(&rx, &format!("/hooks/{topic}")),
                scope: "till".into(),
                scope_reference: Some("112233".into()),
                enable_daraja_payload: Some(daraja),
            })
            .unwrap();
        assert!(created.location.contains("/api/v2/webhook_subscriptions/"));
        let sent = admin(&server, "POST", "trigger", Some(serde_json::json!({ "topic": topic })));
        assert_eq!(sent["sent"], 1, "{topic}");
        let d = rx.next_at(&format!("/hooks/{topic}"), WAIT).expect(topic);
        let hook = client
            .webhooks()
            .parse_webhook(&d.body, d.signature.as_deref())
            .unwrap();
        assert_eq!(hook.topic().as_str(), topic);
        match (&hook, daraja) {
            (Webhook::Daraja(e), true) => assert!(!e.trans_id.is_empty()),
            (Webhook::K2(e), false) => {
                assert!(!e.id.is_empty());
                assert!(!matches!(e.resource, WebhookResource::Unknown { .. }));
            }
            other => panic!("{topic}: {other:?}"),
        }
        assert!(!client.webhooks().verify(&d.body, Some(&"0".repeat(64))).unwrap());
    }
}

#[test]
fn token_expiry_revoke_and_401_refresh() {
    let server = start(1);
    let client = client_for(&server);
    client.incoming_payments().status("nope-1").unwrap_err(); // 404, but authenticated
    assert_eq!(client.token_requests(), 1);
    client.incoming_payments().status("nope-1").unwrap_err();
    assert_eq!(client.token_requests(), 1, "token reused");
    std::thread::sleep(Duration::from_millis(1100));
    client.incoming_payments().status("nope-1").unwrap_err();
    assert_eq!(client.token_requests(), 2, "expired token replaced");

    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    client
        .incoming_payments()
        .create(&stk("0712345678", cb(&rx, "/a")))
        .unwrap();
    admin(&server, "POST", "expire-tokens", None);
    // The cached token is now refused: one 401, one refresh, one retry.
    client
        .incoming_payments()
        .create(&stk("0712345678", cb(&rx, "/b")))
        .unwrap();
    assert_eq!(client.token_requests(), 2);
    assert_eq!(
        counter(&server, "POST /api/v2/incoming_payments"),
        3,
        "1 + (401 + retry)"
    );
    // Revoke through the API: the client forgets it and fetches a new one.
    let t = client.access_token().unwrap();
    client.tokens().revoke(t.expose()).unwrap();
    client.incoming_payments().status("nope-2").unwrap_err();
    assert_eq!(client.token_requests(), 3);
}

fn fault(server: &MockServer, mode: &str, count: u64, path: &str) {
    admin(
        server,
        "POST",
        "faults",
        Some(serde_json::json!({ "mode": mode, "count": count, "path": path, "retry_after": 1 })),
    );
}

#[test]
fn fault_modes_retry_only_where_safe() {
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    let created = client
        .incoming_payments()
        .create(&stk("0712345678", cb(&rx, "/x")))
        .unwrap();
    let get_key = "GET /api/v2/incoming_payments/{id}";
    let post_key = "POST /api/v2/incoming_payments";

    for mode in ["429", "500", "503", "close"] {
        admin(&server, "POST", "reset", None);
        fault(&server, mode, 1, "/api/v2/incoming_payments");
        let started = std::time::Instant::now();
        client
            .incoming_payments()
            .status(&created.id)
            .unwrap_or_else(|e| panic!("{mode}: GET retried: {e}"));
        assert_eq!(counter(&server, get_key), 2, "{mode}: one retry");
        if mode == "429" {
            assert!(started.elapsed() >= Duration::from_millis(900), "Retry-After honoured");
        }

        admin(&server, "POST", "reset", None);
        fault(&server, mode, 1, "/api/v2/incoming_payments");
        let e = client
            .incoming_payments()
            .create(&stk("0712345678", cb(&rx, "/y")))
            .unwrap_err();
        assert_eq!(counter(&server, post_key), 1, "{mode}: a POST is never re-sent");
        match mode {
            "429" => {
                assert_eq!(e.code(), "rate_limited");
                assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
            }
            "500" | "503" => assert_eq!(e.http_status(), Some(mode.parse().unwrap())),
            _ => assert_eq!(e.code(), "transport_error", "{e}"),
        }
    }

    admin(&server, "POST", "reset", None);
    fault(&server, "malformed_json", 1, "/api/v2/incoming_payments");
    let e = client.incoming_payments().status(&created.id).unwrap_err();
    assert_eq!(e.code(), "decode_error");

    // A hang past the client's timeout: the timeout is the call's deadline
    // (docs/robustness.md), so neither a GET nor a POST is sent again once it
    // has passed, and both end by it. (The GET retries are shown above.)
    let quick = Client::new(
        Config::builder(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .base_url(server.base_url())
            .timeout(Duration::from_millis(500))
            .max_retries(1)
            .retry_backoff(Duration::from_millis(10), Duration::from_secs(1))
            .build()
            .unwrap(),
    );
    quick.access_token().unwrap();
    admin(&server, "POST", "reset", None);
    fault(&server, "hang", 1, "/api/v2/incoming_payments");
    let started = std::time::Instant::now();
    let e = quick.incoming_payments().status(&created.id).unwrap_err();
    assert_eq!(e.code(), "timeout");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(counter(&server, get_key), 1);
    fault(&server, "hang", 1, "/api/v2/incoming_payments");
    let started = std::time::Instant::now();
    let e = quick
        .incoming_payments()
        .create(&stk("0712345678", cb(&rx, "/z")))
        .unwrap_err();
    assert_eq!(e.code(), "timeout");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(counter(&server, post_key), 1);
}

#[test]
fn aliases_used_by_older_sdks() {
    let server = start(3600);
    let client = client_for(&server);
    let token = client.access_token().unwrap();
    let agent = ureq::Agent::new_with_defaults();
    let body = String::from_utf8(stk("0712345678", "https://example.com/cb".into()).to_wire()).unwrap();
    for path in ["/api/v1/incoming_payments", "/api/v2/incoming_payments"] {
        let r = agent
            .post(&format!("{}{path}", server.base_url()))
            .header("Authorization", &format!("Bearer {}", token.expose()))
            .header("Content-Type", "application/json")
            .send(&body)
            .unwrap();
        assert_eq!(r.status(), 201, "{path}");
    }
    let r = ReversalRequest {
        transaction_reference: "X".into(),
        reason: "y".into(),
        callback_url: "https://e.com".into(),
        metadata: None,
    };
    let resp = agent
        .post(&format!("{}/api/api/v2/reversals", server.base_url()))
        .header("Authorization", &format!("Bearer {}", token.expose()))
        .send(&r.to_wire()[..])
        .unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(counter(&server, "POST /api/v2/incoming_payments"), 2);
}

#[test]
fn k2_cli_trigger_sign_verify() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let k2 = env!("CARGO_BIN_EXE_k2");
    let rx = Receiver::start().unwrap();
    for (topic, daraja) in [
        ("buygoods_transaction_received", true),
        ("customer_created", false),
        ("reversal", false),
    ] {
        let mut cmd = Command::new(k2);
        cmd.args(["trigger", topic, "--url", &cb(&rx, "/t"), "--api-key", "cli-key"]);
        if daraja {
            cmd.arg("--daraja");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let d = rx.next_at("/t", WAIT).unwrap();
        assert!(webhooks::verify_signature(&d.body, d.signature.as_deref(), "cli-key"));
        if topic == "reversal" {
            assert!(matches!(
                webhooks::decode_result(&d.body).unwrap(),
                CallbackResult::Reversal(_)
            ));
        } else {
            assert_eq!(webhooks::decode_webhook(&d.body).unwrap().topic().as_str(), topic);
        }
    }
    let body = br#"{"topic":"x"}"#;
    let run = |args: &[&str]| {
        let mut child = Command::new(k2)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(body).unwrap();
        child.wait_with_output().unwrap()
    };
    let signed = run(&["sign", "--api-key", "k"]);
    let sig = String::from_utf8(signed.stdout).unwrap().trim().to_string();
    assert_eq!(sig, webhooks::sign(body, "k"));
    let ok = run(&["verify", "--api-key", "k", "--signature", &sig]);
    assert!(ok.status.success());
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "valid");
    let bad = run(&["verify", "--api-key", "other", "--signature", &sig]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&bad.stdout).trim(), "invalid");
    let help = Command::new(k2).arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("mock"));
}

#[test]
fn k2_mock_binary_prints_base_url_and_stops_on_sigterm() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_k2"))
        .args(["mock", "--port", "0", "--token-ttl", "60"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let defaults = lines.next().unwrap().unwrap();
    assert!(defaults.contains("client_id=k2-mock-client-id") && defaults.contains("token_ttl=60s"));
    let client = Client::new(
        Config::builder(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .base_url(&base)
            .build()
            .unwrap(),
    );
    assert_eq!(client.tokens().request().unwrap().expires_in, 60);
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
}

/// Money is exact end to end: an amount beyond f64's 15-16 significant
/// digits keeps every digit from the request, through the simulator, into the
/// signed result callback and the status query, on the typed and the dynamic
/// (JSON text) paths alike.
#[test]
fn amounts_keep_every_digit_through_the_simulator() {
    const BIG: &str = "12345678901234567.89";
    let server = start(3600);
    let client = client_for(&server);
    let rx = Receiver::start().unwrap();
    let mut req = stk("0712345678", cb(&rx, "/big"));
    req.amount = Amount::parse(BIG).unwrap();
    let created = client.incoming_payments().create(&req).unwrap();
    let d = rx.next_at("/big", WAIT).expect("result callback");
    assert!(String::from_utf8_lossy(&d.body).contains(BIG), "callback body");
    match verified_result(&d) {
        CallbackResult::IncomingPayment(p) => {
            assert_eq!(p.event.resource.unwrap().amount.unwrap().to_string(), BIG);
        }
        other => panic!("{other:?}"),
    }
    let status = client.incoming_payments().status(&created.id).unwrap();
    assert_eq!(status.event.resource.unwrap().amount.unwrap().to_string(), BIG);
    // The dynamic path, with the amount written as a JSON number.
    let params = format!(
        r#"{{"till_number":"K000000","phone_number":"0712345678","amount":{BIG},"callback_url":"{}"}}"#,
        cb(&rx, "/big2")
    );
    let created = kopokopo::dynamic::execute_json(&client, "incoming_payments.create", &params).unwrap();
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    rx.next_at("/big2", WAIT).expect("result callback");
    let text =
        kopokopo::dynamic::execute_json(&client, "incoming_payments.status", &format!(r#"{{"id":"{id}"}}"#)).unwrap();
    assert!(text.contains(&format!("\"amount\":{BIG}")), "{text}");
    // A payment link echoes its amount exactly too.
    let link = client
        .payment_links()
        .create(&PaymentLinkRequest {
            till_number: "K000000".into(),
            amount: Amount::parse(BIG).unwrap(),
            callback_url: cb(&rx, "/link"),
            ..Default::default()
        })
        .unwrap();
    let status = client.payment_links().status(&link.id).unwrap();
    assert_eq!(status.amount.unwrap().to_string(), BIG);
}
