//! Core values → Python objects, in one pass, guided by [`kopokopo::schema`].
//!
//! The core's typed results and events are serialised (serde) straight into
//! instances of the generated Python classes (`python/kopokopo/_models.py`):
//! no JSON text, no `json.loads`, no per-field Python conversion. The schema
//! says which field holds money (→ `decimal.Decimal` from the exact text),
//! which a timestamp (→ an aware `datetime.datetime`, read once by
//! [`kopokopo::time::Timestamp::parse`]; the text is kept beside it for
//! `to_dict()`), which a nested model, list (→ tuple) or user data
//! (→ read-only mapping). Instances are made like `copy` makes them:
//! `object.__new__(cls)` and the instance `__dict__` set in one step, which
//! frozen dataclasses allow.
//!
//! JSON text from the core (client calls, sans-IO responses) takes the same
//! path through [`RawJson`], a tree that keeps every number's text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use kopokopo::schema::{self, Shape, Ty};
use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde_json::value::RawValue;

const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

// ------------------------------------------------------------------ plans

#[derive(Clone)]
enum TyPlan {
    Str,
    Money,
    Timestamp,
    Int,
    Bool,
    Json,
    Metadata,
    Ref(usize),
    List(Box<TyPlan>),
}

struct FieldPlan {
    key: &'static str,
    attr: Py<PyString>,
    /// `_t_<attr>`: where a timestamp's text is kept (for `to_dict()`).
    text_attr: Option<Py<PyString>>,
    ty: TyPlan,
    optional: bool,
}

struct RecordPlan {
    /// The type (or `Union.Variant`) name, for error messages.
    name: String,
    /// `(cls,)`: the arguments of `object.__new__`.
    new_args: Py<PyTuple>,
    fields: Vec<FieldPlan>,
    /// Attributes every instance gets (an internally tagged union's tag).
    consts: Vec<(Py<PyString>, Py<PyAny>)>,
}

enum VariantTarget {
    /// A newtype variant: the content's type.
    Ty(TyPlan),
    /// A struct variant, or an internally tagged variant: a record plan.
    Record(usize),
}

struct VariantPlan {
    tag: &'static str,
    target: VariantTarget,
}

struct UnionPlan {
    tag: &'static str,
    content: Option<&'static str>,
    variants: Vec<VariantPlan>,
}

enum Plan {
    Record(RecordPlan),
    Union(UnionPlan),
}

/// Everything the conversion needs, built once when `kopokopo._models` registers its classes.
pub struct Registry {
    plans: Vec<Plan>,
    by_name: HashMap<&'static str, usize>,
    object_new: Py<PyAny>,
    decimal: Py<PyAny>,
    datetime: Py<PyAny>,
    timezone: Py<PyAny>,
    timedelta: Py<PyAny>,
    utc: Py<PyAny>,
    src_attr: Py<PyString>,
    tzs: Mutex<Vec<(i32, Py<PyAny>)>>,
}

static REGISTRY: OnceLock<Registry> = OnceLock::new();

fn ty_plan(ty: &Ty, by_name: &HashMap<&'static str, usize>) -> PyResult<TyPlan> {
    Ok(match ty {
        Ty::Str => TyPlan::Str,
        Ty::Money => TyPlan::Money,
        Ty::Timestamp => TyPlan::Timestamp,
        Ty::Int => TyPlan::Int,
        Ty::Bool => TyPlan::Bool,
        Ty::Json => TyPlan::Json,
        Ty::Metadata => TyPlan::Metadata,
        Ty::Ref(name) => TyPlan::Ref(
            *by_name
                .get(name)
                .ok_or_else(|| PyRuntimeError::new_err(format!("schema: unknown type {name}")))?,
        ),
        Ty::List(inner) => TyPlan::List(Box::new(ty_plan(inner, by_name)?)),
    })
}

fn field_plans(
    py: Python<'_>,
    fields: &'static [schema::Field],
    by_name: &HashMap<&'static str, usize>,
) -> PyResult<Vec<FieldPlan>> {
    fields
        .iter()
        .map(|f| {
            Ok(FieldPlan {
                key: f.key,
                attr: PyString::intern(py, f.name).unbind(),
                text_attr: matches!(f.ty, Ty::Timestamp)
                    .then(|| PyString::intern(py, &format!("_t_{}", f.name)).unbind()),
                ty: ty_plan(&f.ty, by_name)?,
                optional: f.optional,
            })
        })
        .collect()
}

/// Builds the registry from the schema and the generated classes
/// (`{"TypeName": cls, "Union.Variant": cls}` for struct variants).
pub fn register(py: Python<'_>, classes: &Bound<'_, PyDict>) -> PyResult<()> {
    let types = schema::types();
    let mut by_name: HashMap<&'static str, usize> = HashMap::new();
    for (i, t) in types.iter().enumerate() {
        by_name.insert(t.name, i);
    }
    let mut plans: Vec<Option<Plan>> = types.iter().map(|_| None).collect();
    let mut extra: Vec<Plan> = Vec::new();
    let mut next = types.len();
    for (i, t) in types.iter().enumerate() {
        match t.shape {
            Shape::Record(fields) => {
                // Request types have no Python class: they are never converted.
                let Some(cls) = classes.get_item(t.name)? else { continue };
                plans[i] = Some(Plan::Record(RecordPlan {
                    name: t.name.to_string(),
                    new_args: PyTuple::new(py, [cls])?.unbind(),
                    fields: field_plans(py, fields, &by_name)?,
                    consts: Vec::new(),
                }));
            }
            Shape::Union { tag, content, variants } => {
                let mut vplans = Vec::new();
                for v in variants {
                    let newtype = v.fields.first().filter(|f| f.name.is_empty());
                    let target = match (content, newtype) {
                        // {tag, content: value}: the content's own type.
                        (Some(_), Some(f)) if v.fields.len() == 1 => VariantTarget::Ty(ty_plan(&f.ty, &by_name)?),
                        // {tag, ...the inner record's fields, ...the variant's own}.
                        (None, Some(f)) => {
                            let Ty::Ref(inner) = f.ty else {
                                return Err(PyRuntimeError::new_err(format!("schema: {}.{}", t.name, v.name)));
                            };
                            let inner_def = schema::type_def(inner)
                                .ok_or_else(|| PyRuntimeError::new_err(format!("schema: unknown type {inner}")))?;
                            let mut fields = field_plans(py, inner_def.fields(), &by_name)?;
                            fields.extend(field_plans(py, &v.fields[1..], &by_name)?);
                            let Some(cls) = classes.get_item(inner)? else { continue };
                            extra.push(Plan::Record(RecordPlan {
                                name: format!("{}.{}", t.name, v.name),
                                new_args: PyTuple::new(py, [cls])?.unbind(),
                                fields,
                                consts: vec![(
                                    PyString::intern(py, tag).unbind(),
                                    PyString::new(py, v.tag).into_any().unbind(),
                                )],
                            }));
                            next += 1;
                            VariantTarget::Record(next - 1)
                        }
                        // A struct variant: its own class.
                        _ => {
                            let key = format!("{}.{}", t.name, v.name);
                            let Some(cls) = classes.get_item(&key)? else { continue };
                            extra.push(Plan::Record(RecordPlan {
                                name: key,
                                new_args: PyTuple::new(py, [cls])?.unbind(),
                                fields: field_plans(py, v.fields, &by_name)?,
                                consts: Vec::new(),
                            }));
                            next += 1;
                            VariantTarget::Record(next - 1)
                        }
                    };
                    vplans.push(VariantPlan { tag: v.tag, target });
                }
                plans[i] = Some(Plan::Union(UnionPlan {
                    tag,
                    content,
                    variants: vplans,
                }));
            }
        }
    }
    // Types without a class (requests) keep an empty placeholder so indexes hold.
    let mut all: Vec<Plan> = plans
        .into_iter()
        .map(|p| {
            p.unwrap_or(Plan::Union(UnionPlan {
                tag: "",
                content: None,
                variants: Vec::new(),
            }))
        })
        .collect();
    all.extend(extra);
    let builtins = py.import("builtins")?;
    let datetime = py.import("datetime")?;
    let timezone = datetime.getattr("timezone")?;
    let reg = Registry {
        plans: all,
        by_name,
        object_new: builtins.getattr("object")?.getattr("__new__")?.unbind(),
        decimal: py.import("decimal")?.getattr("Decimal")?.unbind(),
        datetime: datetime.getattr("datetime")?.unbind(),
        utc: timezone.getattr("utc")?.unbind(),
        timezone: timezone.unbind(),
        timedelta: datetime.getattr("timedelta")?.unbind(),
        src_attr: PyString::intern(py, "_src").unbind(),
        tzs: Mutex::new(Vec::new()),
    };
    // A second registration (a reloaded module) keeps the first registry.
    let _ = REGISTRY.set(reg);
    Ok(())
}

pub fn registry() -> PyResult<&'static Registry> {
    REGISTRY
        .get()
        .ok_or_else(|| PyRuntimeError::new_err("kopokopo._models is not loaded"))
}

impl Registry {
    fn plan_of(&self, name: &str) -> PyResult<TyPlan> {
        self.by_name
            .get(name)
            .map(|i| TyPlan::Ref(*i))
            .ok_or_else(|| PyRuntimeError::new_err(format!("schema: unknown type {name}")))
    }

    /// Converts a typed core value of schema type `type_name`; `src`, when
    /// given, is kept on the object as `_src` (what `to_dict()` reads).
    pub fn to_object<'py, T: Serialize + ?Sized>(
        &self,
        py: Python<'py>,
        type_name: &str,
        value: &T,
        src: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ty = self.plan_of(type_name)?;
        let obj = value
            .serialize(Ser { reg: self, py, ty: &ty })
            .map_err(|e| e.into_py(py))?;
        if let Some(src) = src {
            set_src(py, &obj, self.src_attr.bind(py), &src)?;
        }
        Ok(obj)
    }

    /// Converts the core's JSON text of a value of schema type `type_name`
    /// (`None` for `null`). The text is kept as `_src`.
    pub fn text_to_object<'py>(
        &self,
        py: Python<'py>,
        type_name: Option<&str>,
        text: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw: &RawValue = serde_json::from_str(text.trim())
            .map_err(|e| PyRuntimeError::new_err(format!("core result is not JSON: {e}")))?;
        let tree =
            RawJson::from_raw(raw).map_err(|e| PyRuntimeError::new_err(format!("core result is not JSON: {e}")))?;
        match (type_name, &tree) {
            (None, _) | (_, RawJson::Null) => Ok(py.None().into_bound(py)),
            (Some(name), _) => {
                let src = PyString::new(py, text).into_any();
                self.to_object(py, name, &tree, Some(src))
            }
        }
    }

    /// Keeps `src` on `obj` as `_src` (what `to_dict()` reads).
    pub fn set_src(&self, py: Python<'_>, obj: &Bound<'_, PyAny>, src: &Bound<'_, PyAny>) -> PyResult<()> {
        set_src(py, obj, self.src_attr.bind(py), src)
    }

    fn tz(&self, py: Python<'_>, offset: i32) -> PyResult<Py<PyAny>> {
        if offset == 0 {
            return Ok(self.utc.clone_ref(py));
        }
        let mut cache = self.tzs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, tz)) = cache.iter().find(|(o, _)| *o == offset) {
            return Ok(tz.clone_ref(py));
        }
        let delta = self.timedelta.bind(py).call1((0, offset))?;
        let tz = self.timezone.bind(py).call1((delta,))?.unbind();
        if cache.len() < 64 {
            cache.push((offset, tz.clone_ref(py)));
        }
        Ok(tz)
    }

    /// An aware `datetime` for the API's text, or `None` when it is not a time.
    fn datetime<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let Some(ts) = kopokopo::time::Timestamp::parse(text) else {
            return Ok(py.None().into_bound(py));
        };
        let c = ts.local();
        if !(1..=9999).contains(&c.year) {
            return Ok(py.None().into_bound(py));
        }
        let tz = self.tz(py, ts.offset_seconds)?;
        let args = (c.year, c.month, c.day, c.hour, c.minute, c.second, ts.nanos / 1000, tz);
        match self.datetime.bind(py).call1(args) {
            Ok(v) => Ok(v),
            Err(_) => Ok(py.None().into_bound(py)),
        }
    }

    fn decimal<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        self.decimal.bind(py).call1((PyString::new(py, text),))
    }

    /// A JSON number's text as Python: `int` when integral, else `Decimal`.
    fn number<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(i) = text.parse::<i64>() {
            return Ok(i.into_pyobject(py)?.into_any());
        }
        if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return py.get_type::<pyo3::types::PyInt>().call1((text,));
        }
        self.decimal(py, text)
    }

    fn new_instance<'py>(
        &self,
        py: Python<'py>,
        plan: &RecordPlan,
        dict: Bound<'py, PyDict>,
    ) -> PyResult<Bound<'py, PyAny>> {
        for (k, v) in &plan.consts {
            dict.set_item(k.bind(py), v.bind(py))?;
        }
        let obj = self
            .object_new
            .bind(py)
            .call1(plan.new_args.bind(py))
            .map_err(|e| PyRuntimeError::new_err(format!("cannot create a {}: {e}", plan.name)))?;
        // SAFETY: obj and dict are live objects owned by this frame; the GIL is held.
        let rc = unsafe { ffi::PyObject_GenericSetDict(obj.as_ptr(), dict.as_ptr(), std::ptr::null_mut()) };
        if rc != 0 {
            return Err(PyErr::fetch(py));
        }
        Ok(obj)
    }

    /// The value of a field the source did not carry.
    fn default_value<'py>(&self, py: Python<'py>, f: &FieldPlan) -> PyResult<Bound<'py, PyAny>> {
        if f.optional {
            return Ok(py.None().into_bound(py));
        }
        Ok(match &f.ty {
            TyPlan::Str => PyString::new(py, "").into_any(),
            TyPlan::Int => 0i64.into_pyobject(py)?.into_any(),
            TyPlan::Bool => pyo3::types::PyBool::new(py, false).to_owned().into_any(),
            TyPlan::List(_) => PyTuple::empty(py).into_any(),
            TyPlan::Metadata => mapping_proxy(py, PyDict::new(py))?,
            TyPlan::Ref(i) => match &self.plans[*i] {
                Plan::Record(plan) => self.empty_record(py, plan)?,
                Plan::Union(_) => py.None().into_bound(py),
            },
            TyPlan::Money | TyPlan::Timestamp | TyPlan::Json => py.None().into_bound(py),
        })
    }

    fn empty_record<'py>(&self, py: Python<'py>, plan: &RecordPlan) -> PyResult<Bound<'py, PyAny>> {
        let dict = PyDict::new(py);
        for f in &plan.fields {
            dict.set_item(f.attr.bind(py), self.default_value(py, f)?)?;
        }
        self.new_instance(py, plan, dict)
    }
}

fn set_src(py: Python<'_>, obj: &Bound<'_, PyAny>, attr: &Bound<'_, PyString>, src: &Bound<'_, PyAny>) -> PyResult<()> {
    // The instance dict itself (reading `__dict__` bypasses the frozen `__setattr__`).
    let dict = obj.getattr(pyo3::intern!(py, "__dict__"))?;
    dict.set_item(attr, src)
}

fn mapping_proxy<'py>(py: Python<'py>, dict: Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: dict is a live dict; PyDictProxy_New returns a new reference or NULL.
    let p = unsafe { ffi::PyDictProxy_New(dict.as_ptr()) };
    if p.is_null() {
        return Err(PyErr::fetch(py));
    }
    // SAFETY: `p` is a new (owned) reference.
    Ok(unsafe { Bound::from_owned_ptr(py, p) })
}

// ------------------------------------------------------------------ errors

#[derive(Debug)]
pub enum ConvError {
    Py(PyErr),
    Msg(String),
}

impl ConvError {
    fn into_py(self, _py: Python<'_>) -> PyErr {
        match self {
            ConvError::Py(e) => e,
            ConvError::Msg(m) => PyRuntimeError::new_err(format!("kopokopo: cannot convert a core value: {m}")),
        }
    }
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvError::Py(e) => write!(f, "{e}"),
            ConvError::Msg(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ConvError {}

impl ser::Error for ConvError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvError::Msg(msg.to_string())
    }
}

impl From<std::convert::Infallible> for ConvError {
    fn from(e: std::convert::Infallible) -> Self {
        match e {}
    }
}

impl From<PyErr> for ConvError {
    fn from(e: PyErr) -> Self {
        ConvError::Py(e)
    }
}

type R<T> = Result<T, ConvError>;

// ------------------------------------------------------------------ text capture

/// Captures the text of a scalar: a string, a number (an `Amount`'s exact
/// text, through serde_json's raw-value token), `None` for null.
struct TextCapture;

struct RawCapture(Option<String>);

macro_rules! capture_num {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> R<Option<String>> { Ok(Some(v.to_string())) }
    )*};
}

impl Serializer for TextCapture {
    type Ok = Option<String>;
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<Option<String>, ConvError>;
    type SerializeTuple = ser::Impossible<Option<String>, ConvError>;
    type SerializeTupleStruct = ser::Impossible<Option<String>, ConvError>;
    type SerializeTupleVariant = ser::Impossible<Option<String>, ConvError>;
    type SerializeMap = ser::Impossible<Option<String>, ConvError>;
    type SerializeStruct = RawCapture;
    type SerializeStructVariant = ser::Impossible<Option<String>, ConvError>;

    capture_num!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f64(self, v: f64) -> R<Option<String>> {
        Ok(serde_json::to_string(&v).ok())
    }
    fn serialize_f32(self, v: f32) -> R<Option<String>> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_str(self, v: &str) -> R<Option<String>> {
        Ok(Some(v.to_string()))
    }
    fn serialize_none(self) -> R<Option<String>> {
        Ok(None)
    }
    fn serialize_unit(self) -> R<Option<String>> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R<Option<String>> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R<Option<String>> {
        v.serialize(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> R<RawCapture> {
        if name == RAW_VALUE_TOKEN {
            Ok(RawCapture(None))
        } else {
            Err(ConvError::Msg(format!("expected text, got a {name}")))
        }
    }
    fn serialize_bool(self, v: bool) -> R<Option<String>> {
        Ok(Some(v.to_string()))
    }
    fn serialize_char(self, v: char) -> R<Option<String>> {
        Ok(Some(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> R<Option<String>> {
        Err(ConvError::Msg("bytes".into()))
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<Option<String>> {
        Ok(None)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<Option<String>> {
        Ok(Some(variant.to_string()))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> R<Option<String>> {
        Err(ConvError::Msg("expected text, got a variant".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> R<Self::SerializeSeq> {
        Err(ConvError::Msg("expected text, got a list".into()))
    }
    fn serialize_tuple(self, _: usize) -> R<Self::SerializeTuple> {
        Err(ConvError::Msg("expected text, got a tuple".into()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> R<Self::SerializeTupleStruct> {
        Err(ConvError::Msg("expected text, got a tuple".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> R<Self::SerializeTupleVariant> {
        Err(ConvError::Msg("expected text, got a variant".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> R<Self::SerializeMap> {
        Err(ConvError::Msg("expected text, got an object".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> R<Self::SerializeStructVariant> {
        Err(ConvError::Msg("expected text, got a variant".into()))
    }
}

impl SerializeStruct for RawCapture {
    type Ok = Option<String>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, v: &T) -> R<()> {
        self.0 = v.serialize(TextCapture)?;
        Ok(())
    }
    fn end(self) -> R<Option<String>> {
        // A raw JSON string literal (`"1.5"`) is text too.
        Ok(self
            .0
            .map(|t| match t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                Some(inner) => inner.to_string(),
                None => t,
            }))
    }
}

// ------------------------------------------------------------------ the serializer

#[derive(Clone, Copy)]
struct Ser<'a, 'py> {
    reg: &'a Registry,
    py: Python<'py>,
    ty: &'a TyPlan,
}

impl<'a, 'py> Ser<'a, 'py> {
    fn with(&self, ty: &'a TyPlan) -> Ser<'a, 'py> {
        Ser {
            reg: self.reg,
            py: self.py,
            ty,
        }
    }

    fn text(self, v: &str) -> R<Bound<'py, PyAny>> {
        Ok(match self.ty {
            TyPlan::Money => self.reg.decimal(self.py, v)?,
            TyPlan::Timestamp => self.reg.datetime(self.py, v)?,
            _ => PyString::new(self.py, v).into_any(),
        })
    }

    fn object(self) -> R<ObjectBuilder<'a, 'py>> {
        let dict = PyDict::new(self.py);
        let state = match self.ty {
            TyPlan::Ref(i) => match &self.reg.plans[*i] {
                Plan::Record(plan) => State::Record {
                    plan,
                    set: 0,
                    cursor: 0,
                },
                Plan::Union(u) if u.content.is_some() => State::Adjacent {
                    union: u,
                    variant: None,
                },
                Plan::Union(u) => State::Internal { union: u },
            },
            _ => State::Json,
        };
        Ok(ObjectBuilder {
            reg: self.reg,
            py: self.py,
            dict,
            state,
            key: None,
        })
    }
}

macro_rules! ser_int {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> R<Bound<'py, PyAny>> {
            match self.ty {
                TyPlan::Money => Ok(self.reg.decimal(self.py, &v.to_string())?),
                _ => Ok(v.into_pyobject(self.py)?.into_any()),
            }
        }
    )*};
}

impl<'a, 'py> Serializer for Ser<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    type SerializeSeq = SeqBuilder<'a, 'py>;
    type SerializeTuple = SeqBuilder<'a, 'py>;
    type SerializeTupleStruct = SeqBuilder<'a, 'py>;
    type SerializeTupleVariant = ser::Impossible<Bound<'py, PyAny>, ConvError>;
    type SerializeMap = ObjectBuilder<'a, 'py>;
    type SerializeStruct = ObjectBuilder<'a, 'py>;
    type SerializeStructVariant = ser::Impossible<Bound<'py, PyAny>, ConvError>;

    ser_int!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_bool(self, v: bool) -> R<Self::Ok> {
        Ok(pyo3::types::PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_f32(self, v: f32) -> R<Self::Ok> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R<Self::Ok> {
        // Never a float: the shortest text that round-trips, as a Decimal
        // (what `json.loads(..., parse_float=Decimal)` gives for the same JSON).
        let text = serde_json::to_string(&v).map_err(|e| ConvError::Msg(e.to_string()))?;
        Ok(self.reg.decimal(self.py, &text)?)
    }
    fn serialize_char(self, v: char) -> R<Self::Ok> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R<Self::Ok> {
        self.text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> R<Self::Ok> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> R<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R<Self::Ok> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<Self::Ok> {
        Ok(PyString::new(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R<Self::Ok> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R<Self::Ok> {
        let json = TyPlan::Json;
        let inner = v.serialize(self.with(&json))?;
        let dict = PyDict::new(self.py);
        dict.set_item(variant, inner)?;
        Ok(mapping_proxy(self.py, dict)?)
    }
    fn serialize_seq(self, len: Option<usize>) -> R<SeqBuilder<'a, 'py>> {
        let item: &'a TyPlan = match self.ty {
            TyPlan::List(inner) => inner,
            _ => &TyPlan::Json,
        };
        Ok(SeqBuilder {
            ser: self.with(item),
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> R<SeqBuilder<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> R<SeqBuilder<'a, 'py>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> R<Self::SerializeTupleVariant> {
        Err(ConvError::Msg("tuple variants are not part of the schema".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> R<ObjectBuilder<'a, 'py>> {
        self.object()
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> R<ObjectBuilder<'a, 'py>> {
        let mut b = self.object()?;
        if name == RAW_VALUE_TOKEN {
            b.state = State::Raw { ty: self.ty };
        }
        Ok(b)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> R<Self::SerializeStructVariant> {
        Err(ConvError::Msg(
            "struct variants outside a tagged union are not part of the schema".into(),
        ))
    }
}

pub struct SeqBuilder<'a, 'py> {
    ser: Ser<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'a, 'py> SeqBuilder<'a, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> R<()> {
        let item = v.serialize(self.ser.with(self.ser.ty))?;
        self.items.push(item);
        Ok(())
    }
    fn finish(self) -> R<Bound<'py, PyAny>> {
        Ok(PyTuple::new(self.ser.py, self.items)?.into_any())
    }
}

impl<'a, 'py> SerializeSeq for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R<()> {
        self.push(v)
    }
    fn end(self) -> R<Self::Ok> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTuple for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R<()> {
        self.push(v)
    }
    fn end(self) -> R<Self::Ok> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTupleStruct for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R<()> {
        self.push(v)
    }
    fn end(self) -> R<Self::Ok> {
        self.finish()
    }
}

enum State<'a> {
    /// A record: fields by key, `set` marks the ones seen.
    Record {
        plan: &'a RecordPlan,
        set: u64,
        cursor: usize,
    },
    /// `{tag, content}`: the result is the content.
    Adjacent {
        union: &'a UnionPlan,
        variant: Option<&'a VariantPlan>,
    },
    /// `{tag, ...fields}` before the tag has been read.
    Internal { union: &'a UnionPlan },
    /// serde_json's raw-value token: a number's exact text.
    Raw { ty: &'a TyPlan },
    /// User data: a read-only mapping.
    Json,
}

pub struct ObjectBuilder<'a, 'py> {
    reg: &'a Registry,
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    state: State<'a>,
    /// A key given by `serialize_key`, waiting for its value.
    key: Option<String>,
}

impl<'a, 'py> ObjectBuilder<'a, 'py> {
    fn put<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> R<()> {
        let py = self.py;
        match &mut self.state {
            State::Record { plan, set, cursor } => {
                let plan: &'a RecordPlan = plan;
                let idx = if *cursor < plan.fields.len() && plan.fields[*cursor].key == key {
                    *cursor
                } else {
                    match plan.fields.iter().position(|f| f.key == key) {
                        Some(i) => i,
                        None => return Ok(()), // not in the schema: not an attribute
                    }
                };
                *cursor = idx + 1;
                if idx < 64 {
                    *set |= 1 << idx;
                }
                let f = &plan.fields[idx];
                let value = match &f.ty {
                    TyPlan::Money => match v.serialize(TextCapture)? {
                        Some(t) => self.reg.decimal(py, &t)?,
                        None => py.None().into_bound(py),
                    },
                    TyPlan::Timestamp => match v.serialize(TextCapture)? {
                        Some(t) => {
                            if let Some(ta) = &f.text_attr {
                                self.dict.set_item(ta.bind(py), PyString::new(py, &t))?;
                            }
                            self.reg.datetime(py, &t)?
                        }
                        None => py.None().into_bound(py),
                    },
                    ty => v.serialize(Ser { reg: self.reg, py, ty })?,
                };
                self.dict.set_item(f.attr.bind(py), value)?;
            }
            State::Adjacent { union, variant } => {
                let union: &'a UnionPlan = union;
                if key == union.tag {
                    let tag = v.serialize(TextCapture)?.unwrap_or_default();
                    let found = union.variants.iter().find(|x| x.tag == tag);
                    if found.is_none() {
                        return Err(ConvError::Msg(format!("unknown variant `{tag}`")));
                    }
                    *variant = found;
                } else if Some(key) == union.content {
                    let var: &'a VariantPlan = variant.ok_or_else(|| ConvError::Msg("content before tag".into()))?;
                    let reg = self.reg;
                    let obj = match &var.target {
                        VariantTarget::Ty(ty) => v.serialize(Ser { reg, py, ty })?,
                        VariantTarget::Record(i) => {
                            let ty = TyPlan::Ref(*i);
                            v.serialize(Ser { reg, py, ty: &ty })?
                        }
                    };
                    // The result is the content; kept in the dict under an empty key.
                    self.dict.set_item("", obj)?;
                }
            }
            State::Internal { union } => {
                let union: &'a UnionPlan = union;
                if key != union.tag {
                    return Err(ConvError::Msg(format!("`{key}` before the tag `{}`", union.tag)));
                }
                let tag = v.serialize(TextCapture)?.unwrap_or_default();
                let var = union
                    .variants
                    .iter()
                    .find(|x| x.tag == tag)
                    .ok_or_else(|| ConvError::Msg(format!("unknown variant `{tag}`")))?;
                let VariantTarget::Record(i) = var.target else {
                    return Err(ConvError::Msg("internally tagged newtype of a non-record".into()));
                };
                let Plan::Record(plan) = &self.reg.plans[i] else {
                    return Err(ConvError::Msg("internally tagged variant without a record".into()));
                };
                self.state = State::Record {
                    plan,
                    set: 0,
                    cursor: 0,
                };
            }
            State::Raw { .. } => {
                let text = v.serialize(TextCapture)?.unwrap_or_default();
                self.dict.set_item("", text)?;
            }
            State::Json => {
                let value = v.serialize(Ser {
                    reg: self.reg,
                    py,
                    ty: &TyPlan::Json,
                })?;
                self.dict.set_item(key, value)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> R<Bound<'py, PyAny>> {
        let py = self.py;
        match self.state {
            State::Record { plan, set, .. } => {
                for (i, f) in plan.fields.iter().enumerate() {
                    if i >= 64 || set & (1 << i) == 0 {
                        self.dict.set_item(f.attr.bind(py), self.reg.default_value(py, f)?)?;
                    }
                }
                Ok(self.reg.new_instance(py, plan, self.dict)?)
            }
            State::Adjacent { .. } => Ok(self
                .dict
                .get_item("")?
                .ok_or_else(|| ConvError::Msg("tagged union without content".into()))?),
            State::Internal { .. } => Err(ConvError::Msg("tagged union without its tag".into())),
            State::Raw { ty } => {
                let text: String = match self.dict.get_item("")? {
                    Some(t) => t.extract()?,
                    None => String::new(),
                };
                let text = text.trim();
                Ok(match ty {
                    TyPlan::Money => self.reg.decimal(py, text)?,
                    TyPlan::Str => PyString::new(py, text).into_any(),
                    _ => self.reg.number(py, text)?,
                })
            }
            State::Json => Ok(mapping_proxy(py, self.dict)?),
        }
    }
}

impl<'a, 'py> SerializeMap for ObjectBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> R<()> {
        self.key = Some(k.serialize(TextCapture)?.unwrap_or_default());
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R<()> {
        let key = self.key.take().unwrap_or_default();
        self.put(&key, v)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, k: &K, v: &V) -> R<()> {
        let key = k.serialize(TextCapture)?.unwrap_or_default();
        self.put(&key, v)
    }
    fn end(self) -> R<Self::Ok> {
        self.finish()
    }
}

impl<'a, 'py> SerializeStruct for ObjectBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R<()> {
        self.put(key, v)
    }
    fn end(self) -> R<Self::Ok> {
        self.finish()
    }
}

// ------------------------------------------------------------------ JSON text with exact numbers

/// A JSON document whose numbers keep their text (serde_json's `Value`
/// would hold fractions as `f64`).
pub enum RawJson<'a> {
    Null,
    Bool(bool),
    Num(&'a str),
    Str(Cow<'a, str>),
    Arr(Vec<RawJson<'a>>),
    Obj(Vec<(Cow<'a, str>, RawJson<'a>)>),
}

struct Pairs<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Pairs<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Pairs<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Key<'de>>()? {
                    let v: &'de RawValue = map.next_value()?;
                    out.push((k.0, v));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A string that borrows when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'a> RawJson<'a> {
    pub fn from_raw(raw: &'a RawValue) -> serde_json::Result<RawJson<'a>> {
        let text = raw.get().trim();
        Ok(match text.as_bytes().first() {
            Some(b'{') => {
                let pairs: Pairs<'a> = serde_json::from_str(text)?;
                RawJson::Obj(
                    pairs
                        .0
                        .into_iter()
                        .map(|(k, v)| Ok((k, RawJson::from_raw(v)?)))
                        .collect::<serde_json::Result<_>>()?,
                )
            }
            Some(b'[') => {
                let items: Vec<&'a RawValue> = serde_json::from_str(text)?;
                RawJson::Arr(
                    items
                        .into_iter()
                        .map(RawJson::from_raw)
                        .collect::<serde_json::Result<_>>()?,
                )
            }
            Some(b'"') => RawJson::Str(serde_json::from_str::<Key<'a>>(text)?.0),
            Some(b't') => RawJson::Bool(true),
            Some(b'f') => RawJson::Bool(false),
            Some(b'n') | None => RawJson::Null,
            Some(_) => RawJson::Num(text),
        })
    }
}

impl Serialize for RawJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawJson::Null => s.serialize_none(),
            RawJson::Bool(b) => s.serialize_bool(*b),
            RawJson::Num(t) => {
                let mut st = s.serialize_struct(RAW_VALUE_TOKEN, 1)?;
                st.serialize_field(RAW_VALUE_TOKEN, t)?;
                st.end()
            }
            RawJson::Str(t) => s.serialize_str(t),
            RawJson::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            RawJson::Obj(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}
