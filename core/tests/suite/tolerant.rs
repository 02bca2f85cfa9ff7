//! Incoming payloads are tolerant (docs/robustness.md): a webhook that fails to
//! parse is a lost payment notification. Over every webhook, result and status
//! fixture, every single field (at any depth) is replaced by `null`, a number,
//! a string, a boolean, an empty object, an empty array, or removed; the parse
//! must still succeed — except for the identifying keys (a K2 webhook's
//! `topic`, a Daraja `TransactionType`, a result's `data` and `data.type`),
//! which fail with a decode error unless they are still a string.
//!
//! Plus the cases reproduced in the robustness issue, one by one.

use crate::support::fixtures_dir;
use kopokopo::webhooks::{CallbackResult, Webhook, WebhookResource, decode_result, decode_webhook};
use serde_json::{Map, Value, json};

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&crate::support::fixture(name)).unwrap()
}

/// Webhook, result and status-response fixtures (status responses share the
/// result documents).
fn payload_fixtures() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for sub in ["", "variants/", "live/"] {
        for entry in std::fs::read_dir(fixtures_dir().join(sub)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let rel = format!("{sub}{name}");
            if name.starts_with("webhook.") {
                out.push((rel, true));
            } else if name.starts_with("result.") || (name.starts_with("response.") && name.contains(".status.")) {
                out.push((rel, false));
            }
        }
    }
    out.sort();
    out
}

/// Every path to a value in the document (object keys and array indices).
fn paths(v: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(Step::Key(k.clone()));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                prefix.push(Step::Index(i));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// `None` as the replacement removes the field (or the array element).
fn mutate(doc: &Value, path: &[Step], replacement: Option<&Value>) -> Value {
    let mut doc = doc.clone();
    let (last, parents) = path.split_last().unwrap();
    let mut at = &mut doc;
    for step in parents {
        at = match step {
            Step::Key(k) => at.get_mut(k).unwrap(),
            Step::Index(i) => at.get_mut(*i).unwrap(),
        };
    }
    match (last, replacement) {
        (Step::Key(k), Some(r)) => {
            at.as_object_mut().unwrap().insert(k.clone(), r.clone());
        }
        (Step::Key(k), None) => {
            at.as_object_mut().unwrap().remove(k);
        }
        (Step::Index(i), Some(r)) => at.as_array_mut().unwrap()[*i] = r.clone(),
        (Step::Index(i), None) => {
            at.as_array_mut().unwrap().remove(*i);
        }
    }
    doc
}

fn is_identifying(webhook: bool, doc: &Value, path: &[Step]) -> bool {
    let keys: Vec<&str> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.as_str(),
            Step::Index(_) => "#",
        })
        .collect();
    if webhook {
        let daraja = doc.get("TransactionType").is_some();
        keys == [if daraja { "TransactionType" } else { "topic" }]
    } else {
        keys == ["data"] || keys == ["data", "type"]
    }
}

#[test]
fn every_field_may_be_null_of_another_type_or_missing() {
    let replacements = [
        Some(Value::Null),
        Some(json!(7)),
        Some(json!(-1.5)),
        Some(json!("x")),
        Some(json!("")),
        Some(json!(true)),
        Some(json!({})),
        Some(json!([])),
        None,
    ];
    let mut parsed = 0;
    let mut refused = 0;
    for (name, webhook) in payload_fixtures() {
        let doc = fixture(&name);
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        assert!(!all.is_empty(), "{name}");
        for path in &all {
            let identifying = is_identifying(webhook, &doc, path);
            for r in &replacements {
                let body = serde_json::to_vec(&mutate(&doc, path, r.as_ref())).unwrap();
                let result = if webhook {
                    decode_webhook(&body).map(|_| ())
                } else {
                    decode_result(&body).map(|_| ())
                };
                // An identifying key still holding a string (an unknown topic
                // or type) is kept as unknown; `data` itself must be an object
                // with a `type`.
                let kept_as_unknown = r.as_ref().is_some_and(Value::is_string) && (webhook || path.len() == 2);
                if identifying && !kept_as_unknown {
                    let e = result.expect_err(&format!("{name} {path:?} -> {r:?} should be refused"));
                    assert_eq!(e.code(), "decode_error");
                    refused += 1;
                } else {
                    result.unwrap_or_else(|e| panic!("{name}: {path:?} -> {r:?}: {e}"));
                    parsed += 1;
                }
            }
        }
    }
    println!("tolerant: {parsed} mutated payloads parsed, {refused} refused (identifying keys)");
    assert!(parsed > 5_000, "{parsed}");
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn webhook(v: &Value) -> Webhook {
    decode_webhook(&serde_json::to_vec(v).unwrap()).unwrap()
}

fn result(v: &Value) -> CallbackResult {
    decode_result(&serde_json::to_vec(v).unwrap()).unwrap()
}

#[test]
fn the_reproduced_cases_parse_with_the_rest_kept() {
    // settlement_transfer_completed with "disbursements": null
    let mut v = fixture("webhook.settlement_transfer_completed.k2.json");
    v["event"]["resource"]["disbursements"] = Value::Null;
    match webhook(&v) {
        Webhook::K2(e) => match e.resource {
            WebhookResource::SettlementTransfer(s) => {
                assert!(s.disbursements.is_empty());
                assert!(s.amount.is_some(), "the other fields are kept");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }

    // Daraja BusinessShortCode as a number, TransTime null.
    let mut v = fixture("webhook.buygoods_transaction_received.daraja.json");
    v["BusinessShortCode"] = json!(555555);
    v["TransTime"] = Value::Null;
    match webhook(&v) {
        Webhook::Daraja(d) => {
            assert_eq!(d.business_short_code.as_deref(), Some("555555"));
            assert_eq!(d.trans_time, "");
            assert!(!d.trans_id.is_empty());
        }
        other => panic!("{other:?}"),
    }

    // card settled: 0 → false; amount "" → absent.
    let mut v = fixture("webhook.card_transaction_received.k2.json");
    v["event"]["resource"]["settled"] = json!(0);
    v["event"]["resource"]["amount"] = json!("");
    match webhook(&v) {
        Webhook::K2(e) => match e.resource {
            WebhookResource::Transaction(t) => {
                assert_eq!(t.settled, Some(false));
                assert_eq!(t.amount, None);
                assert!(t.reference.is_some());
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }

    // incoming-payment result with "event": null
    let mut v = fixture("result.incoming_payment.success.json");
    v["data"]["attributes"]["event"] = Value::Null;
    match result(&v) {
        CallbackResult::IncomingPayment(p) => {
            assert!(p.event.resource.is_none());
            assert_eq!(p.status, "Success");
        }
        other => panic!("{other:?}"),
    }

    // polling result whose transaction has "resource": null
    let mut v = fixture("result.polling.success.json");
    v["data"]["attributes"]["transactions"][0]["resource"] = Value::Null;
    match result(&v) {
        CallbackResult::Polling(p) => assert!(!p.transactions.is_empty()),
        other => panic!("{other:?}"),
    }

    // a destination with "favourite": "true"
    let mut v = fixture("result.send_money.success.json");
    let dest = v["data"]["attributes"]["destinations"][0].clone();
    let mut dest = obj(dest);
    dest.insert("favourite".into(), json!("true"));
    v["data"]["attributes"]["destinations"][0] = Value::Object(dest);
    match result(&v) {
        CallbackResult::SendMoney(s) => assert_eq!(s.destinations[0].favourite, Some(true)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn identifying_keys_are_required() {
    let mut v = fixture("webhook.buygoods_transaction_received.k2.json");
    v.as_object_mut().unwrap().remove("topic");
    assert_eq!(
        decode_webhook(&serde_json::to_vec(&v).unwrap()).unwrap_err().code(),
        "decode_error"
    );
    let mut v = fixture("result.incoming_payment.success.json");
    v["data"].as_object_mut().unwrap().remove("type");
    assert_eq!(
        decode_result(&serde_json::to_vec(&v).unwrap()).unwrap_err().code(),
        "decode_error"
    );
}
