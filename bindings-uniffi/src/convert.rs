//! The custom types of the Kotlin and Swift packages, and the conversions the
//! generated records (`generated.rs`) use.
//!
//! * [`Money`]: an amount, `java.math.BigDecimal` / `Decimal` (uniffi.toml);
//!   on the wire its exact decimal text, parsed and printed by the core only:
//!   never a float.
//! * [`Timestamp`]: `java.time.OffsetDateTime` / `Date`; on the wire RFC 3339
//!   text written by the core ([`kopokopo::time::Timestamp::to_rfc3339`]).
//! * [`JsonNumber`]: a metadata number, `BigDecimal` / `Decimal`.
//! * [`MetadataValue`]: a metadata value with its JSON type.

use std::collections::HashMap;

use kopokopo::Amount;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::KopoKopoError;

/// An amount of money: `java.math.BigDecimal` in Kotlin, `Decimal` in Swift.
/// Crosses the boundary as its exact decimal text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money(pub String);
uniffi::custom_newtype!(Money, String);

/// An instant with the offset it was written in: `java.time.OffsetDateTime`
/// in Kotlin, `Date` in Swift. Crosses the boundary as RFC 3339 text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp(pub String);
uniffi::custom_newtype!(Timestamp, String);

/// A timeout: `java.time.Duration` in Kotlin, `TimeInterval` in Swift. Crosses
/// the boundary as whole milliseconds, so that no value a caller can build
/// (negative, NaN, huge) crashes the conversion: the core refuses what is not
/// a timeout with `InvalidArgument` naming the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout(pub i64);
uniffi::custom_newtype!(Timeout, i64);

impl Timeout {
    /// The duration the core validates; a negative one is zero (refused).
    pub(crate) fn to_duration(self) -> std::time::Duration {
        std::time::Duration::from_millis(u64::try_from(self.0).unwrap_or(0))
    }
}

/// A number in metadata: `java.math.BigDecimal` in Kotlin, `Decimal` in Swift.
/// Crosses the boundary as its JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonNumber(pub String);
uniffi::custom_newtype!(JsonNumber, String);

/// A metadata value, keeping its JSON type. Requests accept strings, numbers,
/// booleans and null (the API's "primitive key-value pairs"); a result may
/// also carry an object or an array, as JSON text (`Json`).
#[derive(uniffi::Enum, Clone, Debug, PartialEq, Eq)]
pub enum MetadataValue {
    /// A JSON string.
    Text {
        /// The string.
        value: String,
    },
    /// A JSON number, exact as written. A request sends it as a JSON number;
    /// a fractional one goes through a double on the way (the core's metadata
    /// is plain JSON), so keep amounts out of metadata or send them as text.
    Number {
        /// The number.
        value: JsonNumber,
    },
    /// A JSON boolean.
    Bool {
        /// The boolean.
        value: bool,
    },
    /// JSON `null`.
    Null,
    /// An object or an array (results only), as JSON text.
    Json {
        /// The JSON text.
        json: String,
    },
}

/// Parses a request amount; a bad one is `InvalidArgument` naming `field`.
pub(crate) fn amount(field: &str, m: &Money) -> Result<Amount, KopoKopoError> {
    Amount::parse_field(field, &m.0).map_err(KopoKopoError::from)
}

/// `path.key` (just `key` at the top level): the field named in errors.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Request metadata, sent in key order; the core validates it (at most five
/// keys, primitive values). A number that is not a decimal number is
/// `InvalidArgument` naming `metadata.<key>`.
pub(crate) fn metadata(
    path: &str,
    m: Option<HashMap<String, MetadataValue>>,
) -> Result<Option<Map<String, Value>>, KopoKopoError> {
    let Some(m) = m else { return Ok(None) };
    let mut sorted: Vec<_> = m.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Map::new();
    for (k, v) in sorted {
        let field = format!("{}.{k}", join(path, "metadata"));
        let value = match v {
            MetadataValue::Text { value } => Value::String(value),
            MetadataValue::Bool { value } => Value::Bool(value),
            MetadataValue::Null => Value::Null,
            MetadataValue::Number { value } => {
                // The core's reading of a decimal number (and its error), then JSON's.
                Amount::parse_field(&field, &value.0)?;
                serde_json::from_str(value.0.trim()).map_err(|_| {
                    KopoKopoError::from(kopokopo::Error::invalid_argument(field.clone(), "is not a JSON number"))
                })?
            }
            MetadataValue::Json { json } => serde_json::from_str(&json).map_err(|_| {
                KopoKopoError::from(kopokopo::Error::invalid_argument(field.clone(), "is not JSON text"))
            })?,
        };
        out.insert(k, value);
    }
    Ok(Some(out))
}

/// Result amounts: the core's canonical decimal text (`"100.0"` → `"100"`).
pub(crate) fn money(a: Amount) -> Money {
    Money(a.to_canonical_string())
}

/// A result time, read by the core; `None` when absent or not a time the
/// core reads (the text is still in the payload's JSON).
pub(crate) fn timestamp(text: &str) -> Option<Timestamp> {
    kopokopo::time::Timestamp::parse(text).map(|t| Timestamp(t.to_rfc3339()))
}

/// [`timestamp`] of an optional text.
pub(crate) fn opt_timestamp(text: &Option<String>) -> Option<Timestamp> {
    text.as_deref().and_then(timestamp)
}

/// Result metadata, each value with its JSON type.
pub(crate) fn meta(m: &Map<String, Value>) -> HashMap<String, MetadataValue> {
    m.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => MetadataValue::Text { value: s.clone() },
                Value::Number(n) => MetadataValue::Number {
                    value: JsonNumber(n.to_string()),
                },
                Value::Bool(b) => MetadataValue::Bool { value: *b },
                Value::Null => MetadataValue::Null,
                other => MetadataValue::Json {
                    json: other.to_string(),
                },
            };
            (k.clone(), v)
        })
        .collect()
}

/// An integer the core keeps unsigned, as the signed 64-bit integer of
/// Kotlin and Java (no unsigned type in any public signature).
pub(crate) fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The core's normalised value as JSON text.
pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_keeps_json_types() {
        let m = HashMap::from([
            ("s".to_string(), MetadataValue::Text { value: "x".into() }),
            (
                "n".to_string(),
                MetadataValue::Number {
                    value: JsonNumber("42".into()),
                },
            ),
            ("b".to_string(), MetadataValue::Bool { value: true }),
            ("z".to_string(), MetadataValue::Null),
        ]);
        let out = metadata("", Some(m)).unwrap().unwrap();
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"b":true,"n":42,"s":"x","z":null}"#
        );
        assert_eq!(
            meta(&out).get("n"),
            Some(&MetadataValue::Number {
                value: JsonNumber("42".into())
            })
        );
        let bad = HashMap::from([(
            "n".to_string(),
            MetadataValue::Number {
                value: JsonNumber("1,5".into()),
            },
        )]);
        match metadata("", Some(bad)) {
            Err(KopoKopoError::InvalidArgument { field, .. }) => assert_eq!(field, "metadata.n"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn timestamps_are_rfc3339_or_absent() {
        assert_eq!(
            timestamp("2021-04-12T08:50"),
            Some(Timestamp("2021-04-12T08:50:00+03:00".into()))
        );
        assert_eq!(timestamp("yesterday"), None);
        assert_eq!(int(u64::MAX), i64::MAX);
    }
}
