#![no_main]
//! Webhook parsing (K2Connect and Daraja structures) never panics; whatever
//! parses also serialises.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(w) = kopokopo::webhooks::decode_webhook(data) {
        let _ = w.topic();
        let _ = serde_json::to_string(&w);
    }
    let sig = kopokopo::webhooks::sign(data, "k");
    let _ = kopokopo::webhooks::parse_webhook(data, Some(&sig), "k");
});
