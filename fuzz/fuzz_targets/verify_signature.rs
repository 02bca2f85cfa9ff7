#![no_main]
//! verify never panics, accepts only the exact signature, and never accepts
//! a signature with anything appended.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.first().map(|b| *b as usize % 80).unwrap_or(0).min(data.len().saturating_sub(1));
    let (sig_bytes, body) = data.split_at(split.min(data.len()));
    let sig = String::from_utf8_lossy(sig_bytes);
    let key = "fuzz-key";
    let good = kopokopo::webhooks::sign(body, key);
    let claimed = kopokopo::webhooks::verify_signature(body, Some(&sig), key);
    if claimed {
        assert!(sig.trim().eq_ignore_ascii_case(&good), "accepted a wrong signature");
    }
    assert!(kopokopo::webhooks::verify_signature(body, Some(&good), key));
    assert!(!kopokopo::webhooks::verify_signature(body, Some(&format!("{good}{sig}")), key) || sig.trim().is_empty());
    assert!(!kopokopo::webhooks::verify_signature(body, None, key));
});
