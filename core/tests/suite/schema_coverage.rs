//! The schema is complete: for every documented and live payload,
//!
//! 1. every key of the core's typed result (what every binding receives) is
//!    described by `kopokopo::schema` at its position, with a value of the
//!    described type, so the generated surfaces of every binding expose it as
//!    a typed field; and
//! 2. every value the payload carries survives into the typed result (no
//!    field of the API's JSON is silently dropped on the way in).
//!
//! The per-language parity tests then check that each binding reaches every
//! schema field (see `scripts/parity.py` and each binding's field test).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kopokopo::HttpResponse;
use kopokopo::schema::{Field, Shape, Ty, type_def};
use kopokopo::webhooks::{decode_result, decode_webhook};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn fixture_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [
        fixtures_dir(),
        fixtures_dir().join("live"),
        fixtures_dir().join("variants"),
    ] {
        let rd = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for e in rd {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn ty_accepts(ty: &Ty, v: &Value, path: &str, errors: &mut Vec<String>) {
    match (ty, v) {
        (_, Value::Null) => {}
        (Ty::Str | Ty::Timestamp, Value::String(_)) => {}
        (Ty::Money, Value::Number(_)) => {}
        (Ty::Int, Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (Ty::Bool, Value::Bool(_)) => {}
        (Ty::Json, _) => {}
        (Ty::Metadata, Value::Object(_)) => {}
        (Ty::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                ty_accepts(inner, item, &format!("{path}[{i}]"), errors);
            }
        }
        (Ty::Ref(name), _) => check_type(name, v, path, errors),
        (ty, v) => errors.push(format!("{path}: {v} is not a {ty:?}")),
    }
}

fn check_fields(
    fields: &[Field],
    obj: &serde_json::Map<String, Value>,
    path: &str,
    errors: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) {
    for f in fields {
        if f.name.is_empty() {
            // A flattened reference: its fields sit in this object.
            if let Ty::Ref(name) = f.ty {
                let def = type_def(name).unwrap();
                if let Shape::Record(inner) = def.shape {
                    check_fields(inner, obj, path, errors, seen);
                }
            }
            continue;
        }
        seen.insert(f.key.to_string());
        match obj.get(f.key) {
            Some(v) => ty_accepts(&f.ty, v, &format!("{path}.{}", f.key), errors),
            None if f.optional => {}
            None => errors.push(format!("{path}: required key `{}` missing", f.key)),
        }
    }
}

fn check_type(name: &str, v: &Value, path: &str, errors: &mut Vec<String>) {
    let def = type_def(name).unwrap_or_else(|| panic!("no type {name}"));
    let Value::Object(obj) = v else {
        errors.push(format!("{path}: {name} is not an object"));
        return;
    };
    let mut seen = BTreeSet::new();
    match def.shape {
        Shape::Record(fields) => check_fields(fields, obj, path, errors, &mut seen),
        Shape::Union { tag, content, variants } => {
            seen.insert(tag.to_string());
            let Some(t) = obj.get(tag).and_then(Value::as_str) else {
                errors.push(format!("{path}: {name} without its `{tag}`"));
                return;
            };
            let Some(variant) = variants.iter().find(|x| x.tag == t) else {
                errors.push(format!("{path}: {name} has no variant `{t}`"));
                return;
            };
            match content {
                Some(c) => {
                    seen.insert(c.to_string());
                    let inner = obj.get(c).cloned().unwrap_or(Value::Null);
                    match variant.fields {
                        [f] if f.name.is_empty() => ty_accepts(&f.ty, &inner, &format!("{path}.{c}"), errors),
                        fields => match &inner {
                            Value::Object(o) => {
                                let mut s2 = BTreeSet::new();
                                check_fields(fields, o, &format!("{path}.{c}"), errors, &mut s2);
                                extra_keys(o, &s2, &format!("{path}.{c}"), errors);
                            }
                            other => errors.push(format!("{path}.{c}: {other} is not an object")),
                        },
                    }
                }
                None => check_fields(variant.fields, obj, path, errors, &mut seen),
            }
        }
    }
    extra_keys(obj, &seen, path, errors);
}

fn extra_keys(obj: &serde_json::Map<String, Value>, seen: &BTreeSet<String>, path: &str, errors: &mut Vec<String>) {
    for k in obj.keys() {
        if !seen.contains(k) {
            errors.push(format!("{path}: key `{k}` is not in the schema"));
        }
    }
}

/// Scalar leaves of a JSON value, as text (numbers normalised as decimals).
fn leaves(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Null => {}
        Value::Bool(b) => {
            out.insert(b.to_string());
        }
        Value::Number(n) => {
            out.insert(norm_number(&n.to_string()));
        }
        Value::String(s) => {
            // A number written as text (amounts) compares by value.
            out.insert(if s.parse::<f64>().is_ok() {
                norm_number(s)
            } else {
                s.clone()
            });
        }
        Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
        Value::Object(o) => o.values().for_each(|x| leaves(x, out)),
    }
}

fn norm_number(s: &str) -> String {
    // The exact decimal, trailing zeros dropped (`100.0` and `100` compare equal).
    kopokopo::Amount::parse(s).map_or_else(|_| s.to_string(), |a| a.to_canonical_string())
}

/// The typed result of a fixture, by its name, with the schema type it has.
fn typed(path: &Path) -> Option<(String, Value)> {
    let (ty, text) = typed_text(path)?;
    Some((ty, serde_json::from_str(&text).unwrap()))
}

/// [`typed`] as the core's exact JSON text (a `Value` holds numbers as f64).
fn typed_text(path: &Path) -> Option<(String, String)> {
    typed_text_of(path.file_name()?.to_str()?, &std::fs::read(path).ok()?)
}

/// The typed result of the payload `body` of the fixture called `name`.
fn typed_text_of(name: &str, body: &[u8]) -> Option<(String, String)> {
    if name.starts_with("webhook.") {
        let w = decode_webhook(body).unwrap_or_else(|e| panic!("{name}: {e}"));
        return Some(("Webhook".into(), serde_json::to_string(&w).unwrap()));
    }
    if name.starts_with("result.") {
        let r = decode_result(body).unwrap_or_else(|e| panic!("{name}: {e}"));
        return Some(("CallbackResult".into(), serde_json::to_string(&r).unwrap()));
    }
    if name.starts_with("response.") {
        let endpoints: Value =
            serde_json::from_slice(&std::fs::read(fixtures_dir().join("endpoints.json")).unwrap()).unwrap();
        let base = name.trim_end_matches(".json");
        let e = endpoints.as_array()?.iter().find(|e| {
            e["response_fixture"]
                .as_str()
                .map(|f| f.trim_end_matches(".json"))
                .is_some_and(|f| f == base || base.strip_prefix(f).is_some_and(|rest| rest.starts_with('.')))
        })?;
        let legacy = e["name"].as_str()?.split('.').next()?;
        let op = kopokopo::operations::find(legacy)?;
        let result = op.result?;
        let resp = HttpResponse::new(200, body);
        let text =
            kopokopo::dynamic::parse_response_text(op.name, &serde_json::json!({"id": "x", "token": "t"}), &resp)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        return Some((result.to_string(), text));
    }
    None
}

#[test]
fn every_key_of_every_typed_payload_is_in_the_schema() {
    let mut errors = Vec::new();
    let mut checked = 0;
    for path in fixture_files() {
        let Some((ty, v)) = typed(&path) else { continue };
        checked += 1;
        check_type(&ty, &v, &path.file_name().unwrap().to_string_lossy(), &mut errors);
    }
    assert!(checked >= 30, "only {checked} payloads checked");
    assert!(
        errors.is_empty(),
        "{} schema gaps:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn no_value_of_a_payload_is_dropped() {
    let mut errors = Vec::new();
    let mut checked = 0;
    for path in fixture_files() {
        let Some((_, typed)) = typed(&path) else { continue };
        checked += 1;
        let wire: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let (mut want, mut got) = (BTreeSet::new(), BTreeSet::new());
        leaves(&wire, &mut want);
        leaves(&typed, &mut got);
        let missing: Vec<_> = want.iter().filter(|v| !got.contains(*v)).collect();
        if !missing.is_empty() {
            errors.push(format!("{}: {missing:?}", path.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(checked >= 30, "only {checked} payloads checked");
    assert!(
        errors.is_empty(),
        "values lost between the API's JSON and the typed result:\n{}",
        errors.join("\n")
    );
}

/// Amounts written as JSON numbers keep every digit in every payload kind
/// (webhooks of both structures, results, status responses).
#[test]
fn numeric_amounts_keep_every_digit_in_every_payload() {
    const BIG: &str = "12345678901234567.89";
    let mut checked = 0;
    for path in fixture_files() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        // Every amount, string or number, becomes the big number.
        let mut v: Value = serde_json::from_str(&text).unwrap();
        fn swap(v: &mut Value) {
            match v {
                Value::Object(o) => {
                    for (k, x) in o.iter_mut() {
                        if matches!(k.as_str(), "amount" | "TransAmount") && (x.is_string() || x.is_number()) {
                            *x = Value::String("__BIG__".into());
                        } else {
                            swap(x);
                        }
                    }
                }
                Value::Array(a) => a.iter_mut().for_each(swap),
                _ => {}
            }
        }
        swap(&mut v);
        let body = serde_json::to_string(&v).unwrap().replace("\"__BIG__\"", BIG);
        if !body.contains(BIG) {
            continue;
        }
        if let Some((_, out)) = typed_text_of(&name, body.as_bytes()) {
            assert!(out.contains(BIG), "{name}: {out}");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} payloads with amounts");
}
