#![no_main]
//! Every response parser, on any status, headers and body: a typed result or
//! a typed error, never a panic.
use kopokopo::HttpResponse;
use kopokopo::dynamic::{OPERATIONS, parse_response_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let op = OPERATIONS[data[0] as usize % OPERATIONS.len()];
    let status = [200u16, 201, 400, 401, 404, 429, 500, 503][data[1] as usize % 8];
    let body = &data[2..];
    let mut resp = HttpResponse::new(status, body.to_vec());
    if data[1] & 0x80 != 0 {
        let text = String::from_utf8_lossy(body);
        resp = resp.with_header("location", &text).with_header("retry-after", &text);
    }
    let params = serde_json::json!({ "id": "abc", "token": "t" });
    let _ = parse_response_text(op, &params, &resp);
    let _ = kopokopo::api::error_from_response(&resp);
});
