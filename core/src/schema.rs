//! The API's shape, declared once: every request, result and event type
//! describes itself ([`Schema`], derived from the type's own definition by
//! `#[derive(Schema)]`), and [`crate::operations`] lists every operation.
//!
//! [`manifest`] turns both into one JSON document (`schema/kopokopo.json`,
//! committed). The language bindings' models, type declarations and stubs
//! are generated from that document by `scripts/codegen.py`, and the
//! bindings written in Rust read the descriptors directly (for instance to
//! know which fields hold money or a timestamp). See `CONTRIBUTING.md`.

use serde_json::{Map, Value, json};

pub use kopokopo_derive::Schema;

/// The type of a field, as the core serialises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    Str,
    /// An exact decimal amount ([`crate::Amount`]), written as a JSON number
    /// from its decimal text; never a float.
    Money,
    /// A timestamp, kept as the text the API sent; [`crate::time::Timestamp::parse`]
    /// reads it.
    Timestamp,
    /// An integer.
    Int,
    /// A boolean.
    Bool,
    /// Any JSON value (user data, raw payloads).
    Json,
    /// An object of user data (metadata): string keys, JSON values.
    Metadata,
    /// Another described type, by name.
    Ref(&'static str),
    /// A list.
    List(&'static Ty),
}

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The Rust field name.
    pub name: &'static str,
    /// The JSON key (the serialised name).
    pub key: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether the value may be absent (`Option`).
    pub optional: bool,
    /// Whether a request may leave the field out although it is not optional:
    /// the core fills in a default (`#[serde(default)]`, e.g. `currency`).
    pub has_default: bool,
    /// Whether the core leaves the key out, instead of writing `null`, when
    /// the value is absent (`#[serde(skip_serializing_if = "Option::is_none")]`).
    pub skip_if_none: bool,
    /// The field's documentation.
    pub doc: &'static str,
}

/// One variant of a tagged union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// The Rust variant name.
    pub name: &'static str,
    /// The tag's value in JSON.
    pub tag: &'static str,
    /// The documentation.
    pub doc: &'static str,
    /// The fields (a struct variant), or one unnamed field (`name` empty) for
    /// a newtype variant.
    pub fields: &'static [Field],
}

/// The shape of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A JSON object with fixed fields.
    Record(&'static [Field]),
    /// A tagged union: `{tag: variant.tag, ...fields}` (internally tagged), or
    /// `{tag: variant.tag, content: value}` (adjacently tagged).
    Union {
        /// The tag key.
        tag: &'static str,
        /// The content key, for adjacently tagged unions.
        content: Option<&'static str>,
        /// The variants.
        variants: &'static [Variant],
    },
}

/// A described type.
#[derive(Clone, Copy)]
pub struct TypeDef {
    /// The type's name (the Rust name, used by every binding).
    pub name: &'static str,
    /// The documentation.
    pub doc: &'static str,
    /// The shape.
    pub shape: Shape,
    /// The types its fields refer to (how [`types`] finds every type from
    /// the operations, without a hand-kept list).
    pub deps: &'static [fn() -> &'static TypeDef],
}

impl std::fmt::Debug for TypeDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypeDef")
            .field("name", &self.name)
            .field("shape", &self.shape)
            .finish_non_exhaustive()
    }
}

impl TypeDef {
    /// The fields of a record (empty for a union).
    pub fn fields(&self) -> &'static [Field] {
        match self.shape {
            Shape::Record(f) => f,
            Shape::Union { .. } => &[],
        }
    }

    /// The field with JSON key `key`.
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.key == key)
    }
}

/// A type that describes itself. Derive it with `#[derive(Schema)]`; field
/// attributes: `#[schema(timestamp)]` (a `String` holding a time),
/// `#[schema(string)]` (a type that serialises as text).
pub trait Schema {
    /// The description.
    const DEF: TypeDef;
    /// The description, as a `'static` reference.
    fn def() -> &'static TypeDef;
}

/// Every described type, in a stable order: the request and result types of
/// [`crate::operations::OPERATIONS`], then the webhook and callback-result
/// unions, each followed by the types it refers to (depth first). There is no
/// list to keep: a type is described as soon as an operation or another
/// described type uses it.
pub fn types() -> &'static [TypeDef] {
    static TYPES: std::sync::OnceLock<Vec<TypeDef>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        fn visit(def: &'static TypeDef, seen: &mut Vec<&'static TypeDef>) {
            if let Some(t) = seen.iter().find(|t| t.name == def.name) {
                // Every binding names its classes after the type: two types
                // may not share a name (a programming error any test finds).
                assert!(std::ptr::eq(*t, def), "two described types are called {}", def.name);
                return;
            }
            seen.push(def);
            for dep in def.deps {
                visit(dep(), seen);
            }
        }
        let mut seen = Vec::new();
        for op in crate::operations::OPERATIONS {
            for def in [op.request_def, op.result_def].into_iter().flatten() {
                visit(def(), &mut seen);
            }
        }
        visit(crate::webhooks::Webhook::def(), &mut seen);
        visit(crate::webhooks::CallbackResult::def(), &mut seen);
        seen.into_iter().copied().collect()
    })
}

/// The described type called `name`.
pub fn type_def(name: &str) -> Option<&'static TypeDef> {
    types().iter().find(|t| t.name == name)
}

/// Appends `phone_number` as `phoneNumber` (the camelCase every binding but
/// Python and C uses); leading underscores (`_links`) are kept, a trailing
/// one too.
pub fn push_camel(key: &str, out: &mut String) {
    let lead = key.len() - key.trim_start_matches('_').len();
    out.push_str(&key[..lead]);
    let mut upper = false;
    for c in key[lead..].chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    if upper {
        out.push('_');
    }
}

/// Where a field path walk stands in the schema.
#[derive(Clone, Copy)]
enum PathCtx {
    /// The fields of a record or a union (the path does not say which variant).
    Type(&'static TypeDef),
    /// A field's type.
    Ty(&'static Ty),
    /// Unknown to the schema.
    Generic,
}

fn path_ctx_of(ty: &'static Ty) -> PathCtx {
    match ty {
        Ty::Ref(name) => type_def(name).map_or(PathCtx::Generic, PathCtx::Type),
        ty => PathCtx::Ty(ty),
    }
}

/// The field with JSON key `key` among `fields`, looking into flattened
/// (unnamed) references too.
fn path_field_in(fields: &'static [Field], key: &str) -> Option<&'static Field> {
    fields.iter().find_map(|f| {
        if f.name.is_empty() {
            match &f.ty {
                Ty::Ref(name) => type_def(name).and_then(|d| path_field(d, key)),
                _ => None,
            }
        } else if f.key == key {
            Some(f)
        } else {
            None
        }
    })
}

fn path_field(def: &'static TypeDef, key: &str) -> Option<&'static Field> {
    match def.shape {
        Shape::Record(fields) => path_field_in(fields, key),
        Shape::Union { variants, .. } => variants.iter().find_map(|v| path_field_in(v.fields, key)),
    }
}

/// An invalid-argument error's field path (`phone_number`,
/// `destinations[0].amount`, `metadata.order_id`) as a binding names it,
/// walking the schema of `request` (the operation's request type; `None`:
/// no schema) along the path: each field's JSON key is written by `name`
/// (e.g. [`push_camel`] for `phoneNumber`); below a field the schema types as
/// `metadata` or `json` the path is the caller's own keys and is kept as
/// given (`metadata.order_id`); a name the schema does not describe (a client
/// option such as `connect_timeout`, a function argument) goes through `name`
/// too. List indexes (`[0]`) and separators are kept.
pub fn field_path_as(path: &str, request: Option<&str>, name: fn(&str, &mut String)) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    let mut ctx = request.and_then(type_def).map_or(PathCtx::Generic, PathCtx::Type);
    let mut rest = path;
    while !rest.is_empty() {
        if let PathCtx::Ty(Ty::Json | Ty::Metadata) = ctx {
            out.push_str(rest);
            break;
        }
        if rest.starts_with('[') {
            let end = rest.find(']').map_or(rest.len(), |i| i + 1);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            ctx = match ctx {
                PathCtx::Ty(Ty::List(inner)) => path_ctx_of(inner),
                _ => PathCtx::Generic,
            };
            continue;
        }
        if let Some(r) = rest.strip_prefix('.') {
            out.push('.');
            rest = r;
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = &rest[..end];
        rest = &rest[end..];
        let field = match ctx {
            PathCtx::Type(def) => path_field(def, key),
            _ => None,
        };
        match field {
            Some(f) => {
                name(f.key, &mut out);
                ctx = path_ctx_of(&f.ty);
            }
            None => {
                name(key, &mut out);
                ctx = PathCtx::Generic;
            }
        }
    }
    out
}

fn ty_json(ty: &Ty) -> Value {
    match ty {
        Ty::Str => json!("string"),
        Ty::Money => json!("money"),
        Ty::Timestamp => json!("timestamp"),
        Ty::Int => json!("int"),
        Ty::Bool => json!("bool"),
        Ty::Json => json!("json"),
        Ty::Metadata => json!("metadata"),
        Ty::Ref(name) => json!({ "ref": name }),
        Ty::List(inner) => json!({ "list": ty_json(inner) }),
    }
}

fn fields_json(fields: &[Field]) -> Value {
    Value::Array(
        fields
            .iter()
            .map(|f| {
                json!({
                    "name": f.name,
                    "key": f.key,
                    "type": ty_json(&f.ty),
                    "optional": f.optional,
                    "has_default": f.has_default,
                    "skip_if_none": f.skip_if_none,
                    "doc": f.doc,
                })
            })
            .collect(),
    )
}

fn type_json(t: &TypeDef) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(t.name));
    m.insert("doc".into(), json!(t.doc));
    match t.shape {
        Shape::Record(fields) => {
            m.insert("kind".into(), json!("record"));
            m.insert("fields".into(), fields_json(fields));
        }
        Shape::Union { tag, content, variants } => {
            m.insert("kind".into(), json!("union"));
            m.insert("tag".into(), json!(tag));
            m.insert("content".into(), json!(content));
            m.insert(
                "variants".into(),
                Value::Array(
                    variants
                        .iter()
                        .map(|v| {
                            json!({
                                "name": v.name,
                                "tag": v.tag,
                                "doc": v.doc,
                                "fields": fields_json(v.fields),
                            })
                        })
                        .collect(),
                ),
            );
        }
    }
    Value::Object(m)
}

/// The whole API shape as JSON: `{"version", "operations": [...], "types": [...]}`.
/// `schema/kopokopo.json` is this document (`k2 schema` writes it).
pub fn manifest() -> Value {
    json!({
        "version": crate::VERSION,
        "operations": crate::operations::OPERATIONS.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
        "groups": crate::operations::GROUPS
            .iter()
            .map(|(g, d)| (g.to_string(), Value::String(d.to_string())))
            .collect::<serde_json::Map<_, _>>(),
        "types": types().iter().map(type_json).collect::<Vec<_>>(),
    })
}

/// [`manifest`] as pretty-printed JSON text ending in a newline.
pub fn manifest_text() -> String {
    let mut s = serde_json::to_string_pretty(&manifest()).expect("a Value always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_ty(owner: &str, ty: &Ty) {
        match ty {
            Ty::Ref(name) => assert!(type_def(name).is_some(), "{owner}: unknown type {name}"),
            Ty::List(inner) => check_ty(owner, inner),
            _ => {}
        }
    }

    #[test]
    fn field_paths_in_camel_case() {
        let camel = |p: &str, r: Option<&str>| field_path_as(p, r, push_camel);
        let ip = Some("IncomingPaymentRequest");
        assert_eq!(camel("phone_number", ip), "phoneNumber");
        assert_eq!(camel("callback_url", ip), "callbackUrl");
        assert_eq!(camel("amount", ip), "amount");
        // The caller's own metadata keys are kept.
        assert_eq!(camel("metadata.order_id", ip), "metadata.order_id");
        assert_eq!(camel("metadata.a.b_c[0]", ip), "metadata.a.b_c[0]");
        let sm = Some("SendMoneyRequest");
        assert_eq!(camel("destinations[0].amount", sm), "destinations[0].amount");
        assert_eq!(
            camel("destinations[12].phone_number", sm),
            "destinations[12].phoneNumber"
        );
        assert_eq!(
            camel("destinations[1].account_number", sm),
            "destinations[1].accountNumber"
        );
        // Names outside the schema go through the same conversion.
        assert_eq!(camel("phone_numbr", ip), "phoneNumbr");
        assert_eq!(camel("connect_timeout", None), "connectTimeout");
        assert_eq!(camel("_links", None), "_links");
        assert_eq!(camel("", None), "");
        // Fields of a flattened type are found (a webhook's `resource` is
        // in the event it flattens), so the caller's JSON below is kept.
        assert_eq!(
            camel("resource.value.order_id", Some("Webhook")),
            "resource.value.order_id"
        );
        assert_eq!(
            camel("resource.sender_phone_number", Some("Webhook")),
            "resource.senderPhoneNumber"
        );
        // Only keys go through `name`; indexes and separators are copied.
        let marked = |p: &str| {
            field_path_as(p, sm, |k, out| {
                out.push('<');
                out.push_str(k);
                out.push('>');
            })
        };
        assert_eq!(
            marked("destinations[12].phone_number"),
            "<destinations>[12].<phone_number>"
        );
        assert_eq!(marked("[3]"), "[3]");
        assert_eq!(marked("a[1][2].b"), "<a>[1][2].<b>");
        // The identity keeps every path as the core wrote it.
        let same = |p: &str| field_path_as(p, sm, |k, out| out.push_str(k));
        assert_eq!(same("destinations[12].phone_number"), "destinations[12].phone_number");
    }

    #[test]
    fn camel_case_of_every_kind_of_key() {
        let camel = |k: &str| {
            let mut out = String::new();
            push_camel(k, &mut out);
            out
        };
        for (key, want) in [
            ("", ""),
            ("_", "_"),
            ("__", "__"),
            ("a", "a"),
            ("a_b", "aB"),
            ("_links", "_links"),
            ("__x_y", "__xY"),
            ("ab_", "ab_"),
            ("a__b", "aB"),
            ("phone_number_2", "phoneNumber2"),
        ] {
            assert_eq!(camel(key), want, "{key:?}");
        }
    }

    #[test]
    fn type_descriptions() {
        let req = type_def("IncomingPaymentRequest").unwrap();
        assert!(!req.fields().is_empty());
        assert_eq!(req.field("phone_number").map(|f| f.key), Some("phone_number"));
        assert_eq!(req.field("till_number").map(|f| f.key), Some("till_number"));
        assert!(req.field("nope").is_none());
        let debug = format!("{req:?}");
        assert!(
            debug.starts_with("TypeDef { name: \"IncomingPaymentRequest\", shape: Record(["),
            "{debug}"
        );
        assert!(debug.ends_with(", .. }"), "{debug}");
        let union = types().iter().find(|t| matches!(t.shape, Shape::Union { .. })).unwrap();
        assert!(union.fields().is_empty() && union.field("type").is_none());
        assert!(type_def("Nope").is_none());
    }

    #[test]
    fn every_reference_resolves_and_names_are_unique() {
        let mut names = std::collections::BTreeSet::new();
        for t in types() {
            assert!(names.insert(t.name), "duplicate {}", t.name);
            assert!(!t.doc.is_empty(), "{} has no doc", t.name);
            match t.shape {
                Shape::Record(fields) => fields.iter().for_each(|f| check_ty(t.name, &f.ty)),
                Shape::Union { variants, .. } => variants
                    .iter()
                    .flat_map(|v| v.fields)
                    .for_each(|f| check_ty(t.name, &f.ty)),
            }
        }
        for op in crate::operations::OPERATIONS {
            for name in [op.request, op.result].into_iter().flatten() {
                assert!(type_def(name).is_some(), "{}: unknown type {name}", op.name);
            }
        }
    }

    #[test]
    fn every_record_field_is_documented() {
        for t in types() {
            for f in t.fields() {
                assert!(!f.doc.is_empty(), "{}.{} has no doc", t.name, f.name);
            }
        }
    }

    /// The committed manifest is what the core describes: regenerate it with
    /// `scripts/codegen.sh` when this fails.
    #[test]
    fn committed_manifest_is_current() {
        let committed = include_str!("../../schema/kopokopo.json");
        assert!(
            committed == manifest_text(),
            "schema/kopokopo.json is stale: run scripts/codegen.sh"
        );
    }
}
