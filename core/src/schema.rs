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
