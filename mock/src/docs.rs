//! Documents the simulator stores and sends: status/result bodies shaped like
//! the documentation's examples, sample webhook events, ids and timestamps.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// A random 64-bit number (no extra dependency: std's SipHash keys are random).
pub fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// A random UUID v4 string.
pub fn uuid() -> String {
    let a = random_u64();
    let b = random_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// An M-PESA-style reference: 10 upper-case letters and digits.
pub fn mpesa_reference() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut n = random_u64();
    (0..10)
        .map(|_| {
            let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
            n /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// Seconds since the Unix epoch.
pub fn epoch_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// ISO 8601 in East Africa Time (+03:00), as the API writes timestamps.
pub fn iso_at(epoch: i64) -> String {
    let c = kopokopo::time::Timestamp::at(epoch, kopokopo::time::KENYA_OFFSET_SECONDS).local();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+03:00",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Now, in EAT.
pub fn iso_now() -> String {
    iso_at(epoch_secs())
}

/// `YYYYMMDDhhmmss` (Daraja `TransTime`), EAT.
pub fn daraja_time() -> String {
    iso_now()[..19].replace(['-', 'T', ':'], "")
}

/// The `{"data": {...}}` envelope.
pub fn envelope(id: &str, kind: &str, attributes: Value) -> Value {
    json!({ "data": { "id": id, "type": kind, "attributes": attributes } })
}

/// A received buygoods transaction, as in incoming-payment results.
pub fn buygoods_transaction(phone: &str, amount: &str, till: &str, first: Option<&str>, last: Option<&str>) -> Value {
    json!({
        "id": uuid(),
        "reference": mpesa_reference(),
        "origination_time": iso_now(),
        "sender_phone_number": phone,
        "amount": amount,
        "currency": "KES",
        "till_number": till,
        "system": "Lipa Na M-PESA",
        "status": "Received",
        "sender_first_name": first.unwrap_or("Jane"),
        "sender_middle_name": Value::Null,
        "sender_last_name": last.unwrap_or("Doe"),
    })
}

/// Two sample transactions for polling results.
pub fn polling_transactions(till: &str) -> Value {
    json!([
        { "type": "Buygoods Transaction", "resource": {
            "id": uuid(), "amount": "500.0", "status": "Received", "system": "Lipa Na M-PESA", "currency": "KES",
            "reference": mpesa_reference(), "till_number": till, "origination_time": iso_now(),
            "sender_last_name": "Doe", "sender_first_name": "Jane", "sender_middle_name": "",
            "sender_phone_number": "+254712345678" } },
        { "type": "Buygoods Transaction", "resource": {
            "id": uuid(), "amount": "250.0", "status": "Received", "system": "Lipa Na M-PESA", "currency": "KES",
            "reference": mpesa_reference(), "till_number": till, "origination_time": iso_now(),
            "sender_last_name": "Buyer", "sender_first_name": "Joe", "sender_middle_name": "",
            "sender_phone_number": "+254712345679" } }
    ])
}

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("../../tests/fixtures/", $name)))
    };
}

/// Sample payloads (the documentation's examples), by file name.
pub const SAMPLES: &[(&str, &str)] = &[
    fixture!("webhook.buygoods_transaction_received.k2.json"),
    fixture!("webhook.buygoods_transaction_received.daraja.json"),
    fixture!("webhook.b2b_transaction_received.k2.json"),
    fixture!("webhook.b2b_transaction_received.daraja.json"),
    fixture!("webhook.buygoods_transaction_reversed.k2.json"),
    fixture!("webhook.b2b_transaction_reversed.k2.json"),
    fixture!("webhook.settlement_transfer_completed.k2.json"),
    fixture!("webhook.customer_created.k2.json"),
    fixture!("webhook.card_transaction_received.k2.json"),
    fixture!("webhook.card_transaction_voided.k2.json"),
    fixture!("webhook.card_transaction_reversed.k2.json"),
    // Beyond the documentation: sent by the live API, typed by the official SDKs.
    (
        "webhook.m2m_transaction_received.k2.json",
        include_str!("../../tests/fixtures/live/webhook.m2m_transaction_received.k2.json"),
    ),
    fixture!("result.incoming_payment.success.json"),
    fixture!("result.send_money.success.json"),
    fixture!("result.polling.success.json"),
    fixture!("result.transaction_sms_notification.success.json"),
    fixture!("result.reversal.success.json"),
    fixture!("result.payment_link.success.json"),
];

fn sample(name: &str) -> Option<Value> {
    SAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| serde_json::from_str(text).ok())
}

/// Result kinds `k2 trigger` accepts besides webhook topics.
pub const RESULT_KINDS: &[&str] = &[
    "incoming_payment",
    "send_money",
    "polling",
    "transaction_sms_notification",
    "reversal",
    "payment_link",
];

/// A sample event for a webhook topic (fresh id and time), in the K2Connect
/// or the Daraja structure. Daraja samples exist only for the two topics the
/// documentation shows; other topics fall back to K2Connect.
pub fn sample_event(topic: &str, daraja: bool) -> Option<Value> {
    if daraja && let Some(mut v) = sample(&format!("webhook.{topic}.daraja.json")) {
        v["TransID"] = json!(mpesa_reference());
        v["TransTime"] = json!(daraja_time());
        return Some(v);
    }
    if let Some(mut v) = sample(&format!("webhook.{topic}.k2.json")) {
        let id = uuid();
        v["id"] = json!(id);
        v["created_at"] = json!(iso_now());
        if let Some(links) = v.get_mut("_links").and_then(Value::as_object_mut)
            && let Some(Value::String(s)) = links.get_mut("self")
            && let Some(i) = s.rfind('/')
        {
            s.replace_range(i + 1.., &id);
        }
        return Some(v);
    }
    let kind = topic.strip_suffix("s").filter(|k| *k == "reversal").unwrap_or(topic);
    if RESULT_KINDS.contains(&kind) {
        let mut v = sample(&format!("result.{kind}.success.json"))?;
        v["data"]["id"] = json!(uuid());
        return Some(v);
    }
    None
}

/// Every webhook topic with a sample.
pub fn webhook_topics() -> Vec<&'static str> {
    SAMPLES
        .iter()
        .filter_map(|(n, _)| n.strip_prefix("webhook.").and_then(|r| r.strip_suffix(".k2.json")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_topic_has_a_sample() {
        for topic in kopokopo::Topic::KNOWN {
            let event = sample_event(topic.as_str(), false).unwrap_or_else(|| panic!("{topic}"));
            let body = serde_json::to_vec(&event).unwrap();
            let parsed = kopokopo::webhooks::decode_webhook(&body).unwrap();
            assert_eq!(parsed.topic(), topic);
        }
        assert!(webhook_topics().contains(&"m2m_transaction_received"));
    }

    #[test]
    fn iso_format() {
        assert_eq!(iso_at(0), "1970-01-01T03:00:00+03:00");
        assert_eq!(iso_at(1_613_376_955), "2021-02-15T11:15:55+03:00");
        kopokopo::validate::iso8601("t", &iso_now()).unwrap();
        assert_eq!(daraja_time().len(), 14);
    }

    #[test]
    fn uuids_look_right() {
        let u = uuid();
        assert_eq!(u.len(), 36);
        assert_ne!(u, uuid());
        kopokopo::validate::resource_id("id", &u).unwrap();
    }

    #[test]
    fn samples_parse() {
        for (name, text) in SAMPLES {
            let _: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert_eq!(
            webhook_topics().len(),
            10,
            "9 documented topics and m2m_transaction_received"
        );
        for t in webhook_topics() {
            assert!(sample_event(t, false).is_some());
        }
        for k in RESULT_KINDS {
            assert!(sample_event(k, false).is_some(), "{k}");
        }
        assert!(
            sample_event("buygoods_transaction_received", true)
                .unwrap()
                .get("TransID")
                .is_some()
        );
    }
}
