//! The generic runner of the shared test vectors (`tests/vectors/*.json`,
//! written by `tests/vectors/generate.py`; formats in `tests/vectors/README.md`).
//!
//! Every case of every file is run; an unknown `kind` is a failure. All
//! failures are collected and reported together, with a count per kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use kopokopo::api::Context;
use kopokopo::dynamic::{OPERATIONS, build_request, parse_response_text};
use kopokopo::webhooks::{decode_result, decode_webhook, verify_signature};
use kopokopo::{Error, HttpResponse};
use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn vectors_dir() -> PathBuf {
    repo_root().join("tests").join("vectors")
}

fn fixtures_dir() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type Outcome = Result<(), String>;

fn s<'a>(case: &'a Value, key: &str) -> Result<&'a str, String> {
    case.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("case has no string `{key}`"))
}

fn field<'a>(case: &'a Value, key: &str) -> Result<&'a Value, String> {
    case.get(key).ok_or_else(|| format!("case has no `{key}`"))
}

/// Numbers are equal when they are the same JSON number (integers compared as
/// integers, otherwise as floats of the same kind).
fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if a == b {
        return true;
    }
    let int = |n: &serde_json::Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    match (int(a), int(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.is_f64() && b.is_f64() && a.as_f64() == b.as_f64(),
    }
}

/// `expected` is a subset of `actual`: every key of an expected object is
/// present and a subset recursively; arrays have the same length and are
/// subsets elementwise; scalars are equal.
fn subset(expected: &Value, actual: &Value, path: &str) -> Outcome {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => subset(ev, av, &p)?,
                    None => return Err(format!("{p}: missing (expected {ev})")),
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} elements, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) if numbers_equal(e, a) => Ok(()),
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

/// Exact JSON equality (numbers as in [`numbers_equal`]).
fn json_equal(expected: &Value, actual: &Value, path: &str) -> Outcome {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let ek: BTreeSet<_> = e.keys().collect();
            let ak: BTreeSet<_> = a.keys().collect();
            if ek != ak {
                return Err(format!("{path}: keys differ: expected {ek:?}, got {ak:?}"));
            }
            subset(expected, actual, path).and_then(|_| {
                for (k, ev) in e {
                    json_equal(ev, &a[k], &format!("{path}.{k}"))?;
                }
                Ok(())
            })
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                json_equal(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ => subset(expected, actual, path),
    }
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Decodes an `application/x-www-form-urlencoded` body (independently of the
/// library's encoder).
fn parse_form(body: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("form body is not UTF-8: {e}"))?;
    let mut out = BTreeMap::new();
    if text.is_empty() {
        return Ok(out);
    }
    for pair in text.split('&') {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("form pair without `=`: {pair}"))?;
        let decode = |s: &str| -> Result<String, String> {
            let b = s.as_bytes();
            let mut bytes = Vec::new();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'+' => bytes.push(b' '),
                    b'%' => {
                        let hi = b.get(i + 1).copied().and_then(hex_val);
                        let lo = b.get(i + 2).copied().and_then(hex_val);
                        match (hi, lo) {
                            (Some(h), Some(l)) => bytes.push(h * 16 + l),
                            _ => return Err(format!("bad percent escape in {s}")),
                        }
                        i += 2;
                    }
                    c if c.is_ascii_alphanumeric() || b"-_.~*".contains(&c) => bytes.push(c),
                    c => return Err(format!("unencoded byte {:?} in form body", c as char)),
                }
                i += 1;
            }
            String::from_utf8(bytes).map_err(|e| e.to_string())
        };
        if out.insert(decode(k)?, decode(v)?).is_some() {
            return Err(format!("duplicate form field {k}"));
        }
    }
    Ok(out)
}

fn response_of(case: &Value) -> Result<HttpResponse, String> {
    let r = field(case, "response")?;
    let status = r
        .get("status")
        .and_then(Value::as_u64)
        .ok_or("response has no status")? as u16;
    let body = match (r.get("body"), r.get("body_fixture")) {
        (Some(Value::String(b)), None) => b.as_bytes().to_vec(),
        (None, Some(Value::String(f))) => {
            std::fs::read(fixtures_dir().join(f)).map_err(|e| format!("fixture {f}: {e}"))?
        }
        _ => return Err("response needs exactly one of body / body_fixture".into()),
    };
    let mut resp = HttpResponse::new(status, body);
    if let Some(Value::Object(h)) = r.get("headers") {
        for (k, v) in h {
            resp = resp.with_header(k, v.as_str().ok_or("header values are strings")?);
        }
    }
    Ok(resp)
}

fn context_of(case: &Value) -> Result<(String, String, String), String> {
    Ok((
        s(case, "base_url")?.to_string(),
        s(case, "client_id")?.to_string(),
        s(case, "client_secret")?.to_string(),
    ))
}

fn run_signature(case: &Value) -> Outcome {
    let body = base64::engine::general_purpose::STANDARD
        .decode(s(case, "body_b64")?)
        .map_err(|e| format!("body_b64: {e}"))?;
    let api_key = s(case, "api_key")?;
    let signature = match field(case, "signature")? {
        Value::Null => None,
        Value::String(x) => Some(x.as_str()),
        other => return Err(format!("signature must be a string or null, got {other}")),
    };
    let valid = field(case, "valid")?.as_bool().ok_or("valid must be a boolean")?;
    let got = verify_signature(&body, signature, api_key);
    if got != valid {
        return Err(format!("verify_signature returned {got}, expected {valid}"));
    }
    Ok(())
}

fn run_request(case: &Value) -> Outcome {
    let (base_url, client_id, client_secret) = context_of(case)?;
    let ctx = Context {
        base_url: &base_url,
        user_agent: "kopokopo/vectors",
        client_id: &client_id,
        client_secret: &client_secret,
    };
    let token = field(case, "token")?.as_str();
    let op = s(case, "operation")?;
    let req = build_request(&ctx, op, field(case, "params")?, token).map_err(|e| format!("build failed: {e}"))?;
    let expect = field(case, "expect")?;
    if req.method.as_str() != s(expect, "method")? {
        return Err(format!("method {} != {}", req.method, s(expect, "method")?));
    }
    if req.url != s(expect, "url")? {
        return Err(format!("url {} != {}", req.url, s(expect, "url")?));
    }
    for (name, value) in field(expect, "headers")?.as_object().ok_or("headers is an object")? {
        let want = value.as_str().ok_or("header values are strings")?;
        match req.header(name) {
            Some(got) if got == want => {}
            got => return Err(format!("header {name}: expected {want:?}, got {got:?}")),
        }
    }
    if let Some(absent) = expect.get("headers_absent").and_then(Value::as_array) {
        for name in absent {
            let name = name.as_str().ok_or("headers_absent holds strings")?;
            if req.header(name).is_some() {
                return Err(format!("header {name} must not be sent"));
            }
        }
    }
    if let Some(form) = expect.get("body_form") {
        let want: BTreeMap<String, String> =
            serde_json::from_value(form.clone()).map_err(|e| format!("body_form: {e}"))?;
        let got = parse_form(&req.body)?;
        if got != want {
            return Err(format!("form body {got:?} != {want:?}"));
        }
        return Ok(());
    }
    match field(expect, "body_json")? {
        Value::Null => {
            if !req.body.is_empty() {
                return Err(format!("expected no body, got {}", String::from_utf8_lossy(&req.body)));
            }
            Ok(())
        }
        want => {
            let got: Value = serde_json::from_slice(&req.body)
                .map_err(|e| format!("body is not JSON ({e}): {}", String::from_utf8_lossy(&req.body)))?;
            json_equal(want, &got, "body")
        }
    }
}

/// Checks the keys present in `expect` against an error.
fn check_error(e: &Error, expect: &Value) -> Outcome {
    let code = s(expect, "code")?;
    if e.code() != code {
        return Err(format!("error code {} != {code} ({e})", e.code()));
    }
    let opt_str = |v: &Value| -> Result<Option<String>, String> {
        match v {
            Value::Null => Ok(None),
            Value::String(x) => Ok(Some(x.clone())),
            other => Err(format!("expected a string or null, got {other}")),
        }
    };
    if let Some(want) = expect.get("field") {
        let want = opt_str(want)?;
        if e.field().map(str::to_string) != want {
            return Err(format!("field {:?} != {want:?} ({e})", e.field()));
        }
    }
    if let Some(want) = expect.get("http_status") {
        let want = want.as_u64().map(|n| n as u16);
        if e.http_status() != want {
            return Err(format!("http_status {:?} != {want:?}", e.http_status()));
        }
    }
    if let Some(want) = expect.get("error_code") {
        let want = opt_str(want)?;
        if e.error_code().map(str::to_string) != want {
            return Err(format!("error_code {:?} != {want:?}", e.error_code()));
        }
    }
    if let Some(want) = expect.get("error_message") {
        let want = opt_str(want)?;
        if Some(e.error_message().to_string()) != want {
            return Err(format!("error_message {:?} != {want:?}", e.error_message()));
        }
    }
    if let Some(want) = expect.get("error_messages") {
        let want: Vec<&str> = want
            .as_array()
            .ok_or("error_messages is not a list")?
            .iter()
            .map(|m| m.as_str().unwrap_or_default())
            .collect();
        if e.error_messages() != want.as_slice() {
            return Err(format!("error_messages {:?} != {want:?}", e.error_messages()));
        }
    }
    if let Some(want) = expect.get("retry_after_secs") {
        let got = e.retry_after().map(|d| d.as_secs_f64());
        if got != want.as_f64() {
            return Err(format!("retry_after_secs {got:?} != {want}"));
        }
    }
    Ok(())
}

fn default_context() -> Context<'static> {
    Context {
        base_url: "https://sandbox.kopokopo.com",
        user_agent: "kopokopo/vectors",
        client_id: "vector-client-id",
        client_secret: "vector-client-secret",
    }
}

fn run_validation_error(case: &Value) -> Outcome {
    let op = s(case, "operation")?;
    let ctx = default_context();
    match build_request(&ctx, op, field(case, "params")?, Some("vector-access-token")) {
        Ok(req) => Err(format!("built a request, expected an error: {req:?}")),
        Err(e) => check_error(&e, field(case, "expect")?),
    }
}

fn run_response_error(case: &Value) -> Outcome {
    let resp = response_of(case)?;
    match parse_response_text(s(case, "operation")?, field(case, "params")?, &resp) {
        Ok(v) => Err(format!("parsed {v}, expected an error")),
        Err(e) => check_error(&e, field(case, "expect")?),
    }
}

fn run_response(case: &Value) -> Outcome {
    let resp = response_of(case)?;
    let (op, params) = (s(case, "operation")?, field(case, "params")?);
    // The exact-text form (what the bindings read).
    let text = parse_response_text(op, params, &resp).map_err(|e| format!("parse failed: {e}"))?;
    let got: Value = serde_json::from_str(&text).map_err(|e| format!("result text is not JSON: {e}"))?;
    subset(field(case, "expect")?, &got, "$")
}

fn event_body(case: &Value) -> Result<Vec<u8>, String> {
    match (case.get("fixture"), case.get("body")) {
        (Some(Value::String(f)), None) => std::fs::read(fixtures_dir().join(f)).map_err(|e| format!("{f}: {e}")),
        (None, Some(Value::String(b))) => Ok(b.as_bytes().to_vec()),
        _ => Err("event needs exactly one of fixture / body".into()),
    }
}

fn run_event(case: &Value, webhook: bool) -> Outcome {
    let body = event_body(case)?;
    let parsed = if webhook {
        decode_webhook(&body).map(|w| serde_json::to_value(w).map_err(|e| e.to_string()))
    } else {
        decode_result(&body).map(|r| serde_json::to_value(r).map_err(|e| e.to_string()))
    };
    match (parsed, case.get("expect_error")) {
        (Ok(v), None) => subset(field(case, "expect")?, &v?, "$"),
        (Ok(v), Some(code)) => Err(format!("parsed {:?}, expected error {code}", v.ok())),
        (Err(e), Some(code)) if Some(e.code()) == code.as_str() => Ok(()),
        (Err(e), _) => Err(format!("decode failed: {e} ({})", e.code())),
    }
}

fn run_case(case: &Value) -> Outcome {
    if let Some(op) = case.get("operation").and_then(Value::as_str)
        && kopokopo::operations::find(op).is_none()
    {
        return Err(format!("unknown operation {op}"));
    }
    match s(case, "kind")? {
        "signature" => run_signature(case),
        "request" => run_request(case),
        "validation_error" => run_validation_error(case),
        "response_error" => run_response_error(case),
        "response" => run_response(case),
        "webhook" => run_event(case, true),
        "result" => run_event(case, false),
        other => Err(format!("unknown kind `{other}`")),
    }
}

#[test]
fn shared_vectors() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "expected the vector files, found {files:?}");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut operations_covered = BTreeSet::new();
    for path in &files {
        let doc = load(path);
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(doc.get("version").and_then(Value::as_u64), Some(1), "{file}: version");
        let cases = doc
            .get("cases")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{file}: no cases"));
        assert!(!cases.is_empty(), "{file}: no cases");
        for case in cases {
            let name = case.get("name").and_then(Value::as_str).unwrap_or("<unnamed>");
            let kind = case.get("kind").and_then(Value::as_str).unwrap_or("<no kind>");
            *counts.entry(kind.to_string()).or_default() += 1;
            if kind == "request"
                && let Some(op) = case
                    .get("operation")
                    .and_then(Value::as_str)
                    .and_then(kopokopo::operations::find)
            {
                operations_covered.insert(op.name.to_string());
            }
            if let Err(e) = run_case(case) {
                failures.push(format!("{file} [{kind}] {name}: {e}"));
            }
        }
    }
    let total: usize = counts.values().sum();
    println!("shared vectors: {total} cases");
    for (kind, n) in &counts {
        println!("  {kind:<17} {n}");
    }
    let missing: Vec<_> = OPERATIONS
        .iter()
        .filter(|o| !operations_covered.contains(**o))
        .collect();
    assert!(missing.is_empty(), "operations without a request vector: {missing:?}");
    assert!(
        failures.is_empty(),
        "{} of {total} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn runner_refuses_unknown_kinds() {
    let case: Value = serde_json::json!({"name": "x", "kind": "telepathy"});
    assert!(run_case(&case).unwrap_err().contains("unknown kind"));
    let case: Value = serde_json::json!({"name": "x", "kind": "request", "operation": "nope"});
    assert!(run_case(&case).unwrap_err().contains("unknown operation"));
}

#[test]
fn subset_semantics() {
    let actual = serde_json::json!({"a": 1, "b": [{"c": 2, "d": 3}], "e": null});
    subset(&serde_json::json!({"a": 1, "b": [{"c": 2}]}), &actual, "$").unwrap();
    subset(&serde_json::json!({"e": null}), &actual, "$").unwrap();
    assert!(subset(&serde_json::json!({"b": []}), &actual, "$").is_err());
    assert!(subset(&serde_json::json!({"a": 2}), &actual, "$").is_err());
    assert!(subset(&serde_json::json!({"z": null}), &actual, "$").is_err());
    assert!(
        subset(&serde_json::json!({"a": 1.0}), &actual, "$").is_err(),
        "1.0 is not the integer 1"
    );
    assert!(json_equal(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 1, "x": 2}), "$").is_err());
    let form = parse_form(b"a=b+c&k=x%2By%2F%3D%26&u=%C3%BC").unwrap();
    assert_eq!(form["a"], "b c");
    assert_eq!(form["k"], "x+y/=&");
    assert_eq!(form["u"], "ü");
}

/// The committed vectors are exactly what the generator writes.
#[test]
fn vectors_are_up_to_date() {
    let script = vectors_dir().join("generate.py");
    match std::process::Command::new("python3")
        .arg(&script)
        .arg("--check")
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "tests/vectors is out of date; run python3 tests/vectors/generate.py\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("python3 not available ({e}); skipping the generator check"),
    }
}
