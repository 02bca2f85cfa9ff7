#![no_main]
//! Request validation and building from arbitrary JSON parameters never
//! panics; anything that validates has a wire body that reads back.
use kopokopo::api::Context;
use kopokopo::dynamic::{OPERATIONS, build_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let op = OPERATIONS[data[0] as usize % OPERATIONS.len()];
    let Ok(params) = serde_json::from_slice::<serde_json::Value>(&data[1..]) else {
        let _ = kopokopo::validate::normalize_phone("p", &String::from_utf8_lossy(&data[1..]));
        let _ = kopokopo::Amount::parse(&String::from_utf8_lossy(&data[1..]));
        return;
    };
    let Ok(config) = kopokopo::Config::builder("id", "secret").build() else { return };
    let ctx = Context::new(&config);
    if let Ok(req) = build_request(&ctx, op, &params, Some("token")) {
        if !req.body.is_empty() && req.header("content-type") == Some("application/json") {
            assert!(serde_json::from_slice::<serde_json::Value>(&req.body).is_ok(), "wire body is JSON");
        }
    }
});
