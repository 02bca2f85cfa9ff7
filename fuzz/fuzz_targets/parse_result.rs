#![no_main]
//! Result-callback parsing never panics.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = kopokopo::webhooks::decode_result(data) {
        let _ = r.result_type();
        let _ = serde_json::to_string(&r);
    }
});
