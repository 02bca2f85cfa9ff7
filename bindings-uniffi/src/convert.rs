//! Conversion helpers the generated records (`generated.rs`) use. Amounts are
//! parsed and printed by the core only: never a float.

use std::collections::HashMap;

use kopokopo::Amount;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::KopoKopoError;

/// Parses a request amount; a bad one is `InvalidArgument` naming `field`.
pub(crate) fn amount(field: &str, text: &str) -> Result<Amount, KopoKopoError> {
    Amount::parse_field(field, text).map_err(KopoKopoError::from)
}

/// `path.key` (just `key` at the top level): the field named in errors.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Request metadata: a string map, sent as JSON strings in key order.
pub(crate) fn metadata(m: Option<HashMap<String, String>>) -> Option<Map<String, Value>> {
    m.map(|m| {
        let mut sorted: Vec<_> = m.into_iter().collect();
        sorted.sort();
        sorted.into_iter().map(|(k, v)| (k, Value::String(v))).collect()
    })
}

/// Result amounts: the core's canonical decimal text (`"100.0"` → `"100"`,
/// `"10.50"` → `"10.5"`), the same digits as its JSON.
pub(crate) fn amt(a: Option<Amount>) -> Option<String> {
    a.map(|a| a.to_canonical_string())
}

/// Result metadata: strings as they are, other values as JSON text.
pub(crate) fn meta(m: &Map<String, Value>) -> HashMap<String, String> {
    m.iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), s)
        })
        .collect()
}

/// The core's normalised value as JSON text (`raw_json`, `json`).
pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}
