//! Lenient decoding of what the API sends us (webhooks, result callbacks,
//! status responses).
//!
//! A webhook that fails to parse is a lost payment notification, so on the way
//! in every field is optional: a `null`, a missing key or a value of an
//! unexpected type becomes "absent" (`None`, an empty list, the default),
//! and values are coerced where that is unambiguous (a number where text is
//! expected and a numeric string where a number is, `"true"`/`"false"` or
//! `0`/`1` where a boolean is). Only the keys that identify a payload (a
//! webhook's `topic`, a Daraja `TransactionType`, a result's `data.type`) are
//! required; see `docs/robustness.md`.
//!
//! Each field names its rule with `#[serde(default, deserialize_with = "…")]`:
//! [`opt`] for `Option<T>`, [`or_default`] for a `T: Default`. Both go
//! through one visitor per type ([`Lenient`]), never through an intermediate
//! `serde_json::Value`, so a tolerant parse costs what a strict one did.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::money::Amount;

/// A type that can be read from any JSON value, giving `None` for a value it
/// cannot represent. Implementors override the `from_*` methods for the JSON
/// types they take; everything else is skipped (and its contents drained).
pub(crate) trait Lenient: Sized {
    /// Reads any JSON value: the entry point. [`Amount`] overrides it to read
    /// a number's exact text (see `crate::money`).
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        any_value(d)
    }
    /// Text.
    fn from_str(_v: &str) -> Option<Self> {
        None
    }
    /// A non-negative integer.
    fn from_u64(_v: u64) -> Option<Self> {
        None
    }
    /// A negative integer.
    fn from_i64(_v: i64) -> Option<Self> {
        None
    }
    /// A number with a fraction.
    fn from_f64(_v: f64) -> Option<Self> {
        None
    }
    /// A boolean.
    fn from_bool(_v: bool) -> Option<Self> {
        None
    }
    /// An object.
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    /// An array.
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for LenientVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::from_seq(seq)
    }
}

/// Reads any JSON value as `Option<T>`.
pub(crate) fn opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    T::lenient(d)
}

/// The default [`Lenient::lenient`]: one visitor over any JSON value.
pub(crate) fn any_value<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(LenientVisitor(PhantomData))
}

/// Reads any JSON value as `T`, the default where it has none.
pub(crate) fn or_default<'de, D: Deserializer<'de>, T: Lenient + Default>(d: D) -> Result<T, D::Error> {
    Ok(opt(d)?.unwrap_or_default())
}

/// Parses a JSON text as `T` (the default for a value of another type).
pub(crate) fn from_str_or_default<T: Lenient + Default>(text: &str) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = or_default(&mut de)?;
    de.end()?;
    Ok(v)
}

/// One element of a lenient list: `None` when it has another type.
struct Element<T>(Option<T>);

impl<'de, T: Lenient> Deserialize<'de> for Element<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt(d).map(Element)
    }
}

struct ElementSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for ElementSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        Element::<T>::deserialize(d).map(|e| e.0)
    }
}

impl Lenient for String {
    fn from_str(v: &str) -> Option<Self> {
        Some(v.to_string())
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v.to_string())
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v.to_string())
    }
    fn from_f64(v: f64) -> Option<Self> {
        v.is_finite().then(|| v.to_string())
    }
    fn from_bool(v: bool) -> Option<Self> {
        Some(v.to_string())
    }
}

impl Lenient for bool {
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
    fn from_str(v: &str) -> Option<Self> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
    fn from_u64(v: u64) -> Option<Self> {
        match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Lenient for i64 {
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(v: f64) -> Option<Self> {
        (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
    }
    fn from_str(v: &str) -> Option<Self> {
        v.trim().parse().ok()
    }
}

impl Lenient for Amount {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        crate::money::lenient_amount(d)
    }
    fn from_str(v: &str) -> Option<Self> {
        Amount::parse(v).ok()
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Amount::from(rust_decimal::Decimal::from(v)))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(Amount::from(v))
    }
    fn from_f64(v: f64) -> Option<Self> {
        // The same rule as `Amount`'s own `Deserialize` for a number with a fraction.
        Amount::deserialize(de::value::F64Deserializer::<de::value::Error>::new(v)).ok()
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(ElementSeed::<T>(PhantomData))? {
            if let Some(item) = item {
                out.push(item);
            }
        }
        Ok(Some(out))
    }
}

impl Lenient for Map<String, Value> {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Map::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}

/// Implements [`Lenient`] for structs whose every field is itself lenient
/// (so reading them from an object cannot fail but on malformed JSON).
macro_rules! lenient_struct {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::lenient::Lenient for $ty {
            fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
                <$ty as serde::Deserialize>::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
            }
        }
    )*};
}
pub(crate) use lenient_struct;

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: Lenient>(json: &str) -> Option<T> {
        let mut de = serde_json::Deserializer::from_str(json);
        opt(&mut de).unwrap()
    }

    #[test]
    fn coercions() {
        assert_eq!(read::<String>("12"), Some("12".into()));
        assert_eq!(read::<String>("true"), Some("true".into()));
        assert_eq!(read::<String>("{\"a\":[1,2]}"), None);
        assert_eq!(read::<String>("null"), None);
        assert_eq!(read::<bool>("\"true\""), Some(true));
        assert_eq!(read::<bool>("0"), Some(false));
        assert_eq!(read::<bool>("\"yes\""), None);
        assert_eq!(read::<i64>("\"42\""), Some(42));
        assert_eq!(read::<i64>("4.5"), None);
        assert_eq!(read::<Amount>("\"\""), None);
        assert_eq!(read::<Amount>("\"10.50\""), Some(Amount::parse("10.5").unwrap()));
        assert_eq!(read::<Amount>("10.55"), Some(Amount::parse("10.55").unwrap()));
        assert_eq!(read::<Amount>("[1]"), None);
        assert_eq!(
            read::<Vec<i64>>("[1, \"2\", null, {}, 3]"),
            Some(vec![1, 2, 3]),
            "elements of another type are dropped, the rest kept"
        );
        assert_eq!(read::<Vec<i64>>("\"x\""), None);
        assert!(read::<Map<String, Value>>("{\"a\":{\"b\":1}}").is_some());
        assert!(read::<Map<String, Value>>("1").is_none());
    }

    /// A deserializer that answers a newtype request with
    /// `visit_newtype_struct`, as serde's buffered content does (serde_json
    /// answers [`Amount`]'s raw-text request with the text instead): the
    /// way to [`Amount`]'s own `from_*` rules.
    struct Forward(Value);

    impl<'de> Deserializer<'de> for Forward {
        type Error = serde_json::Error;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            self.0.deserialize_any(v)
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Self::Error> {
            v.visit_newtype_struct(self.0)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
        }
    }

    /// Every JSON kind into every lenient type, from JSON text and from a
    /// `serde_json::Value` through [`Forward`].
    #[test]
    fn every_kind_into_every_type() {
        fn value<T: Lenient>(v: Value) -> Option<T> {
            opt(Forward(v)).unwrap()
        }
        let s = |v: &str| Some(v.to_string());
        for (json, want) in [
            ("\"x\"", s("x")),
            ("12", s("12")),
            ("-3", s("-3")),
            ("1.5", s("1.5")),
            ("true", s("true")),
            ("false", s("false")),
            ("null", None),
            ("{\"a\":1}", None),
            ("[\"x\"]", None),
        ] {
            assert_eq!(read::<String>(json), want, "String from {json}");
            assert_eq!(
                value::<String>(serde_json::from_str(json).unwrap()),
                want,
                "String from Value {json}"
            );
        }
        for (json, want) in [
            ("true", Some(true)),
            ("false", Some(false)),
            ("\" TRUE \"", Some(true)),
            ("\"False\"", Some(false)),
            ("\"no\"", None),
            ("0", Some(false)),
            ("1", Some(true)),
            ("2", None),
            ("-1", None),
            ("1.0", None),
            ("null", None),
            ("{}", None),
            ("[true]", None),
        ] {
            assert_eq!(read::<bool>(json), want, "bool from {json}");
        }
        for (json, want) in [
            ("42", Some(42i64)),
            ("-7", Some(-7)),
            ("\" 12 \"", Some(12)),
            ("\"1.5\"", None),
            ("4.0", Some(4)),
            ("-4.0", Some(-4)),
            ("4.5", None),
            ("8999999999999998.0", Some(8_999_999_999_999_998)),
            ("9000000000000000.0", None),
            ("-9000000000000000.0", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("true", None),
            ("[1]", None),
        ] {
            assert_eq!(read::<i64>(json), want, "i64 from {json}");
        }
        let a = |v: &str| Some(Amount::parse(v).unwrap());
        for (json, want) in [
            ("\"10.50\"", a("10.5")),
            ("\"abc\"", None),
            ("10", a("10")),
            ("18446744073709551615", a("18446744073709551615")),
            ("-5", a("-5")),
            ("2.25", a("2.25")),
            ("true", None),
            ("null", None),
            ("[1]", None),
        ] {
            assert_eq!(read::<Amount>(json), want, "Amount from {json}");
            assert_eq!(
                value::<Amount>(serde_json::from_str(json).unwrap()),
                want,
                "Amount from Value {json}"
            );
        }
        assert_eq!(value::<Amount>(serde_json::json!({"a": 1})), None);
        assert_eq!(
            read::<Map<String, Value>>("{\"a\":[1,{\"b\":null}]}"),
            Some(serde_json::from_str("{\"a\":[1,{\"b\":null}]}").unwrap())
        );
        assert_eq!(
            read::<Vec<String>>("[\"a\", 1, null, true]"),
            Some(vec!["a".into(), "1".into(), "true".into()])
        );
        assert_eq!(read::<Vec<String>>("[]"), Some(vec![]));
        assert_eq!(read::<Vec<String>>("{\"a\":\"b\"}"), None);
        // A value of another kind is drained, so the next key still parses.
        #[derive(serde::Deserialize)]
        struct Two {
            #[serde(default, deserialize_with = "opt")]
            a: Option<i64>,
            #[serde(default, deserialize_with = "or_default")]
            b: String,
        }
        for json in [
            r#"{"a":{"x":[1,2,{"y":3}]},"b":"kept"}"#,
            r#"{"a":[[1],[2,{"z":null}]],"b":"kept"}"#,
        ] {
            let two: Two = serde_json::from_str(json).unwrap();
            assert_eq!((two.a, two.b.as_str()), (None, "kept"), "{json}");
        }
        let two: Two = serde_json::from_str(r#"{"a":"5","b":7}"#).unwrap();
        assert_eq!((two.a, two.b.as_str()), (Some(5), "7"));
        let two: Two = serde_json::from_str(r#"{"b":null}"#).unwrap();
        assert_eq!((two.a, two.b.as_str()), (None, ""));
    }

    /// Deserializers other than serde_json's: one that hands over `Some`
    /// (as serde's buffered content does for `Option`s), and one whose value
    /// no lenient type takes (bytes), whose error names what was expected.
    #[test]
    fn other_deserializers() {
        struct SomeOf(Value);
        impl<'de> Deserializer<'de> for SomeOf {
            type Error = serde_json::Error;
            fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
                v.visit_some(self.0)
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
                option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
            }
        }
        assert_eq!(opt::<_, i64>(SomeOf(serde_json::json!("12"))).unwrap(), Some(12));
        assert_eq!(opt::<_, String>(SomeOf(Value::Null)).unwrap(), None);
        let bytes = de::value::BytesDeserializer::<de::value::Error>::new(b"x");
        let e = opt::<_, String>(bytes).unwrap_err().to_string();
        assert!(e.contains("expected any JSON value"), "{e}");
    }

    #[test]
    fn whole_documents_with_a_default() {
        assert_eq!(from_str_or_default::<i64>("\"7\"").unwrap(), 7);
        assert_eq!(from_str_or_default::<i64>("{\"a\":1}").unwrap(), 0);
        assert_eq!(from_str_or_default::<String>(" 12 ").unwrap(), "12");
        assert!(from_str_or_default::<i64>("1 2").is_err(), "trailing text");
        assert!(from_str_or_default::<i64>("{").is_err(), "malformed JSON");
    }
}
