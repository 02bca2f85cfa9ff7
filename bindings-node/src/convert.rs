//! Type conversion between the JavaScript API and the core's JSON surface,
//! driven by the core's schema (`kopokopo::schema`), never by key names.
//!
//! * Keys: the JS API is camelCase, the core's parameters and results are
//!   snake_case. Each schema field's JSON key is converted on the way in
//!   (`phoneNumber` or `phone_number` → `phone_number`) and on the way out
//!   (`phone_number` → `phoneNumber`). User data is never touched: fields
//!   the schema types as `metadata` or `json` (metadata, raw payloads, the
//!   resource of an unknown webhook topic) keep their keys as sent.
//! * Money: JS numbers are IEEE doubles, so amounts are exchanged as decimal
//!   strings. A field is money when the schema says `money`. On the way in a
//!   JS number is accepted for an amount only when it is an integer (a
//!   fractional double is not an exact amount); on the way out every amount
//!   becomes a string holding the core's exact decimal text.
//!
//! The way out produces the final JS-shaped JSON text in one pass, which
//! JavaScript turns into the object with one `JSON.parse` (no per-key N-API
//! calls, no wrapper objects). The schema of the result type is compiled
//! once ([`Table`]: output keys precomputed per field, references resolved)
//! and walked alongside the value:
//!
//! * typed values (webhooks and results parsed in this process) are
//!   serialised straight into that shape ([`direct`], a serde `Serializer`);
//! * JSON text from the core (`dynamic::execute_text`, `parse_response_text`)
//!   is rewritten in one scan ([`result_out`]): keys camelCase, amount digits
//!   copied into strings, every other value copied verbatim.
//!
//! Both give the same text (a test checks every fixture and event vector).

use kopokopo::Error;
use kopokopo::schema::{self, Field, Shape, Ty, TypeDef};
use serde_json::{Map, Value};

/// `phoneNumber` → `phone_number`. Snake-case input is returned unchanged.
pub fn camel_to_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

use kopokopo::schema::push_camel;

/// `phone_number` → `phoneNumber`; leading underscores (`_links`) are kept.
#[cfg(test)]
pub fn snake_to_camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    push_camel(key, &mut out);
    out
}

/// Whether `given` names the schema key `key`: as is, or camelCase.
fn names_key(given: &str, key: &str) -> bool {
    if given == key {
        return true;
    }
    // Compare `given` with camel(key) without allocating.
    let lead = key.len() - key.trim_start_matches('_').len();
    if !given.starts_with(&key[..lead]) {
        return false;
    }
    let mut g = given[lead..].chars();
    let mut upper = false;
    for c in key[lead..].chars() {
        if c == '_' {
            upper = true;
            continue;
        }
        let want = if upper { c.to_ascii_uppercase() } else { c };
        upper = false;
        if g.next() != Some(want) {
            return false;
        }
    }
    if upper && g.next() != Some('_') {
        return false;
    }
    g.next().is_none()
}

pub(crate) fn decode_error(e: serde_json::Error) -> Error {
    Error::Decode { message: e.to_string() }
}

fn malformed() -> Error {
    Error::Decode {
        message: "malformed JSON from the core".into(),
    }
}

// ------------------------------------------------------------ the schema

/// What the schema knows about a value.
#[derive(Clone, Copy)]
enum Ctx {
    /// A field type.
    Ty(Ty),
    /// The fields of a record (or of a union variant).
    Fields(&'static [Field]),
    /// A union.
    Union(&'static TypeDef),
    /// Nothing: keys are converted, values are not interpreted (no money).
    Generic,
}

fn def_ctx(name: &str) -> Ctx {
    match schema::type_def(name) {
        Some(def) => match def.shape {
            Shape::Record(fields) => Ctx::Fields(fields),
            Shape::Union { .. } => Ctx::Union(def),
        },
        None => Ctx::Generic,
    }
}

/// The field named `given` (camelCase or the JSON key) among `fields`,
/// looking into flattened (unnamed) references too.
fn find_field_in(fields: &'static [Field], given: &str) -> Option<&'static Field> {
    for f in fields {
        if f.name.is_empty() {
            if let Ty::Ref(name) = f.ty
                && let Some(found) = schema::type_def(name).and_then(|d| find_field_in(d.fields(), given))
            {
                return Some(found);
            }
        } else if names_key(given, f.key) {
            return Some(f);
        }
    }
    None
}

/// The context of a union variant's content: a newtype's type, or the fields.
fn variant_content(fields: &'static [Field]) -> Ctx {
    match fields {
        [only] if only.name.is_empty() => match only.ty {
            Ty::Ref(name) => def_ctx(name),
            ty => Ctx::Ty(ty),
        },
        _ => Ctx::Fields(fields),
    }
}

fn ty_ctx(ty: Ty) -> Ctx {
    match ty {
        Ty::Ref(name) => def_ctx(name),
        ty => Ctx::Ty(ty),
    }
}

// ------------------------------------------------------------ the way in

/// Converts JS-side parameters of an operation to the core's: keys to the
/// schema's (snake_case) keys, and refuses fractional JS numbers where the
/// request type has an amount. `request` is the operation's request type
/// (`None` for operations that take an id, a token or nothing).
pub fn params_in(value: Value, request: Option<&str>) -> Result<Value, Error> {
    let ctx = request.map(def_ctx).unwrap_or(Ctx::Generic);
    convert_in(value, ctx, "")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn convert_in(value: Value, ctx: Ctx, path: &str) -> Result<Value, Error> {
    match (ctx, value) {
        (Ctx::Ty(Ty::Money), v) => amount_in(v, path),
        (Ctx::Ty(Ty::Json | Ty::Metadata), v) => Ok(v),
        (Ctx::Ty(Ty::List(inner)), Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| convert_in(v, ty_ctx(*inner), &format!("{path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (Ctx::Ty(_), v) => Ok(v),
        (Ctx::Union(def), Value::Object(map)) => {
            let Shape::Union { tag, content, variants } = def.shape else {
                return convert_in(Value::Object(map), Ctx::Generic, path);
            };
            let tag_value = map
                .iter()
                .find(|(k, _)| names_key(k, tag))
                .and_then(|(_, v)| v.as_str());
            let variant = tag_value.and_then(|t| variants.iter().find(|v| v.tag == t));
            let Some(variant) = variant else {
                return convert_in(Value::Object(map), Ctx::Generic, path);
            };
            match content {
                None => object_in(map, Ctx::Fields(variant.fields), path),
                Some(content) => {
                    let mut out = Map::with_capacity(map.len());
                    for (k, v) in map {
                        if names_key(&k, content) {
                            let v = convert_in(v, variant_content(variant.fields), &join(path, content))?;
                            out.insert(content.to_string(), v);
                        } else if names_key(&k, tag) {
                            out.insert(tag.to_string(), v);
                        } else {
                            let key = camel_to_snake(&k);
                            let v = convert_in(v, Ctx::Generic, &join(path, &key))?;
                            out.insert(key, v);
                        }
                    }
                    Ok(Value::Object(out))
                }
            }
        }
        (ctx @ (Ctx::Fields(_) | Ctx::Generic), Value::Object(map)) => object_in(map, ctx, path),
        (_, Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| convert_in(v, Ctx::Generic, &format!("{path}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (_, other) => Ok(other),
    }
}

fn object_in(map: Map<String, Value>, ctx: Ctx, path: &str) -> Result<Value, Error> {
    let mut out = Map::with_capacity(map.len());
    for (k, v) in map {
        let field = match ctx {
            Ctx::Fields(fields) => find_field_in(fields, &k),
            _ => None,
        };
        let (key, child) = match field {
            Some(f) => (f.key.to_string(), ty_ctx(f.ty)),
            // Not in the schema: the core names it in its error.
            None => (camel_to_snake(&k), Ctx::Generic),
        };
        let v = convert_in(v, child, &join(path, &key))?;
        out.insert(key, v);
    }
    Ok(Value::Object(out))
}

fn amount_in(v: Value, field: &str) -> Result<Value, Error> {
    match &v {
        // JSON.stringify writes every safe integer without a fraction (serde
        // reads it as an integer), so a double here has a fraction or is
        // beyond 2^53: neither is an exact amount.
        Value::Number(n) if n.is_f64() => Err(Error::invalid_argument(
            field,
            "a JavaScript number with a fraction is not an exact amount; pass a decimal string such as \"10.50\"",
        )),
        _ => Ok(v),
    }
}

// ------------------------------------------------------- error field paths

/// A core error's field path (`phone_number`, `destinations[0].amount`,
/// `metadata.order_id`) as the JS API names it, walking `request`'s schema
/// (the operation's request type; `None`: no schema) along the path: a schema
/// field's JSON key becomes its camelCase property name (`phoneNumber`), the
/// same conversion the parameters go through; below a field the schema types
/// as `metadata` or `json` the path is the caller's own keys and is kept as
/// given (`metadata.order_id`). A name the schema does not describe (an
/// unknown key, a client option, a function argument) is camelCased too:
/// it reached the core as the snake_case form of the caller's camelCase key.
/// List indexes (`[0]`) are kept.
pub fn field_out(path: &str, request: Option<&str>) -> String {
    kopokopo::schema::field_path_as(path, request, push_camel)
}

// ----------------------------------------------------------- the way out

/// The schema compiled once for the way out: every record's fields (with
/// flattened references inlined) carry their output key, `"camelKey":`,
/// precomputed, and every reference is resolved to an index.
struct Table {
    nodes: Vec<Node>,
    by_name: std::collections::HashMap<&'static str, usize>,
}

enum Node {
    Rec(Vec<OutField>),
    Union(OutUnion),
}

struct OutField {
    key: &'static str,
    /// `"camelKey":`.
    out: Box<str>,
    kind: Kind,
}

struct OutUnion {
    tag: &'static str,
    /// `"tag":` as written (tags are single words).
    tag_out: Box<str>,
    content: Option<&'static str>,
    content_out: Box<str>,
    /// (tag value, the kind of the content, or the record of the fields beside the tag).
    variants: Vec<(&'static str, Kind)>,
}

/// How a value is written.
enum Kind {
    /// Copied as is (text, numbers, booleans, timestamps).
    Scalar,
    /// An amount: a JSON number becomes a string of the same digits.
    Money,
    /// User data or raw payloads: copied as is, keys included.
    Opaque,
    /// A list of values of one kind.
    List(Box<Kind>),
    /// A described type (an index into [`Table::nodes`]).
    Node(usize),
    /// Not described: keys are converted, values copied.
    Generic,
}

fn quoted_key(key: &str, camel: bool) -> Box<str> {
    let mut s = String::with_capacity(key.len() + 3);
    s.push('"');
    if camel {
        push_camel(key, &mut s);
    } else {
        s.push_str(key);
    }
    s.push_str("\":");
    s.into_boxed_str()
}

impl Table {
    fn build() -> Table {
        let defs = schema::types();
        let by_name: std::collections::HashMap<&'static str, usize> =
            defs.iter().enumerate().map(|(i, d)| (d.name, i)).collect();
        let mut t = Table {
            nodes: Vec::with_capacity(defs.len() * 2),
            by_name,
        };
        // Placeholders first, so every reference has its index.
        t.nodes.extend(defs.iter().map(|_| Node::Rec(Vec::new())));
        for (i, def) in defs.iter().enumerate() {
            t.nodes[i] = match def.shape {
                Shape::Record(fields) => Node::Rec(t.fields(fields)),
                Shape::Union { tag, content, variants } => {
                    let variants = variants
                        .iter()
                        .map(|v| {
                            let kind = match (content, v.fields) {
                                (Some(_), [only]) if only.name.is_empty() => t.kind(only.ty),
                                _ => {
                                    let rec = Node::Rec(t.fields(v.fields));
                                    t.nodes.push(rec);
                                    Kind::Node(t.nodes.len() - 1)
                                }
                            };
                            (v.tag, kind)
                        })
                        .collect();
                    Node::Union(OutUnion {
                        tag,
                        tag_out: quoted_key(tag, false),
                        content,
                        content_out: quoted_key(content.unwrap_or(""), false),
                        variants,
                    })
                }
            };
        }
        t
    }

    fn kind(&self, ty: Ty) -> Kind {
        match ty {
            Ty::Str | Ty::Timestamp | Ty::Int | Ty::Bool => Kind::Scalar,
            Ty::Money => Kind::Money,
            Ty::Json | Ty::Metadata => Kind::Opaque,
            Ty::List(inner) => Kind::List(Box::new(self.kind(*inner))),
            Ty::Ref(name) => self.by_name.get(name).map_or(Kind::Generic, |&i| Kind::Node(i)),
        }
    }

    /// The fields of a record, flattened references inlined.
    fn fields(&self, fields: &'static [Field]) -> Vec<OutField> {
        let mut out = Vec::with_capacity(fields.len());
        for f in fields {
            if f.name.is_empty() {
                if let Ty::Ref(name) = f.ty
                    && let Some(def) = schema::type_def(name)
                {
                    out.extend(self.fields(def.fields()));
                }
                continue;
            }
            out.push(OutField {
                key: f.key,
                out: quoted_key(f.key, true),
                kind: self.kind(f.ty),
            });
        }
        out
    }
}

/// The index of the first `"` or `\\` at or after `j` (`s.len()` if none),
/// eight bytes at a time.
fn quote_or_backslash(s: &[u8], mut j: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Sets the high bit of each zero byte; exact up to the first zero byte.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    while let Some(chunk) = s.get(j..j + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let hit = zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')));
        if hit != 0 {
            return j + (hit.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < s.len() && s[j] != b'"' && s[j] != b'\\' {
        j += 1;
    }
    j
}

fn table() -> &'static Table {
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    TABLE.get_or_init(Table::build)
}

/// Converts a core result, as the exact JSON text the core serialises, to
/// the JS shape: schema keys to camelCase, amounts to decimal strings.
/// `root` is the result type's schema name (`None`: keys only).
///
/// One pass over the text, copying every value's text, so an amount's
/// digits are copied verbatim into the string: no float ever holds money.
pub fn result_out(text: &str, root: Option<&str>) -> Result<String, Error> {
    let t = table();
    let mut w = Writer {
        t,
        s: text.as_bytes(),
        text,
        i: 0,
        out: String::with_capacity(text.len() + text.len() / 8 + 16),
    };
    let kind = root
        .and_then(|r| t.by_name.get(r))
        .map_or(Kind::Generic, |&i| Kind::Node(i));
    w.value(&kind)?;
    w.ws();
    if w.i != w.s.len() {
        return Err(malformed());
    }
    Ok(w.out)
}

/// A typed core value as exact JSON text (amounts keep their digits), in
/// the JS shape: serialised straight into that shape ([`direct`]), in one
/// pass, walking the type's schema alongside. Should the value be shaped in
/// a way the direct writer does not follow, the core's JSON text is
/// converted by [`result_out`] instead (same output, one more pass).
pub fn typed_out<T: serde::Serialize + schema::Schema>(value: &T) -> Result<String, Error> {
    match direct(value, T::DEF.name) {
        Some(text) => Ok(text),
        None => {
            let text = serde_json::to_string(value).map_err(decode_error)?;
            result_out(&text, Some(T::DEF.name))
        }
    }
}

/// Serialises `value` (of schema type `root`) straight to the JS shape;
/// `None` when its serialisation takes a path the writer does not follow.
pub fn direct<T: serde::Serialize + ?Sized>(value: &T, root: &str) -> Option<String> {
    let t = table();
    let &i = t.by_name.get(root)?;
    let mut out = String::with_capacity(1024);
    let kind = Kind::Node(i);
    // `kind` lives on this frame; the writer needs `'static` kinds only for
    // the children it finds in the table.
    value
        .serialize(Ser {
            out: &mut out,
            kind: &kind,
            t,
        })
        .ok()?;
    Some(out)
}

struct Writer<'a> {
    t: &'static Table,
    s: &'a [u8],
    text: &'a str,
    i: usize,
    out: String,
}

impl<'a> Writer<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, b: u8) -> Result<(), Error> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(malformed())
        }
    }

    /// The end (exclusive) of the string starting at `start` (its opening quote).
    fn string_end(&self, start: usize) -> Result<usize, Error> {
        let mut j = start + 1;
        loop {
            j = quote_or_backslash(self.s, j);
            match self.s.get(j) {
                Some(b'"') => return Ok(j + 1),
                Some(_) => j += 2,
                None => return Err(malformed()),
            }
        }
    }

    /// The end (exclusive) of the value starting at `start`.
    fn value_end(&self, start: usize) -> Result<usize, Error> {
        match self.s.get(start) {
            Some(b'"') => self.string_end(start),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                let mut j = start;
                while j < self.s.len() {
                    match self.s[j] {
                        b'"' => {
                            j = self.string_end(j)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return Ok(j + 1);
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                Err(malformed())
            }
            Some(_) => {
                let mut j = start;
                while j < self.s.len() && !matches!(self.s[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    j += 1;
                }
                if j == start { Err(malformed()) } else { Ok(j) }
            }
            None => Err(malformed()),
        }
    }

    /// Copies the next value unchanged.
    fn copy(&mut self) -> Result<(), Error> {
        self.ws();
        let end = self.value_end(self.i)?;
        self.out.push_str(&self.text[self.i..end]);
        self.i = end;
        Ok(())
    }

    /// Reads an object key (the text between the quotes, still escaped) and its colon.
    fn key(&mut self) -> Result<&'a str, Error> {
        if self.peek() != Some(b'"') {
            return Err(malformed());
        }
        let end = self.string_end(self.i)?;
        let text: &'a str = self.text;
        let key = &text[self.i + 1..end - 1];
        self.i = end;
        self.expect(b':')?;
        Ok(key)
    }

    fn push_camel_key(&mut self, key: &str) {
        self.out.push('"');
        push_camel(key, &mut self.out);
        self.out.push_str("\":");
    }

    /// After a member: `,` (true: another member follows) or the closing `close`.
    fn next_member(&mut self, close: u8) -> Result<bool, Error> {
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                self.out.push(',');
                Ok(true)
            }
            Some(b) if b == close => {
                self.i += 1;
                self.out.push(close as char);
                Ok(false)
            }
            _ => Err(malformed()),
        }
    }

    /// Opens an object or array; false when it is empty (and already closed).
    fn open(&mut self, open: u8, close: u8) -> Result<bool, Error> {
        self.expect(open)?;
        self.out.push(open as char);
        if self.peek() == Some(close) {
            self.i += 1;
            self.out.push(close as char);
            return Ok(false);
        }
        Ok(true)
    }

    fn value(&mut self, kind: &Kind) -> Result<(), Error> {
        let t = self.t;
        match (self.peek(), kind) {
            (Some(b'{'), Kind::Node(i)) => match &t.nodes[*i] {
                Node::Rec(fields) => self.record(Some(fields), None),
                Node::Union(u) => self.union(u),
            },
            (Some(b'{' | b'['), Kind::Opaque) => self.copy(),
            (Some(b'{'), _) => self.record(None, None),
            (Some(b'['), _) => {
                let item = match kind {
                    Kind::List(inner) => inner,
                    _ => &Kind::Generic,
                };
                if self.open(b'[', b']')? {
                    loop {
                        self.value(item)?;
                        if !self.next_member(b']')? {
                            break;
                        }
                    }
                }
                Ok(())
            }
            (Some(b'-' | b'0'..=b'9'), Kind::Money) => {
                // A JSON number's text has no characters that need escaping.
                let end = self.value_end(self.i)?;
                self.out.push('"');
                self.out.push_str(&self.text[self.i..end]);
                self.out.push('"');
                self.i = end;
                Ok(())
            }
            (Some(_), _) => self.copy(),
            (None, _) => Err(malformed()),
        }
    }

    /// A record object: schema keys from `fields` (none: keys converted,
    /// values not interpreted). `tag`: a union's tag, written as is.
    fn record(&mut self, fields: Option<&'static [OutField]>, tag: Option<&OutUnion>) -> Result<(), Error> {
        if !self.open(b'{', b'}')? {
            return Ok(());
        }
        // The core writes fields in declaration order: try the one after the
        // last match first.
        let mut next = 0usize;
        loop {
            let key = self.key()?;
            let field = fields.and_then(|fs| match fs.get(next) {
                Some(f) if f.key == key => {
                    next += 1;
                    Some(f)
                }
                _ => {
                    let i = fs.iter().position(|f| f.key == key)?;
                    next = i + 1;
                    Some(&fs[i])
                }
            });
            match (field, tag) {
                (Some(f), _) => {
                    self.out.push_str(&f.out);
                    self.value(&f.kind)?;
                }
                (None, Some(u)) if u.tag == key => {
                    self.out.push_str(&u.tag_out);
                    self.copy()?;
                }
                (None, _) => {
                    self.push_camel_key(key);
                    self.value(&Kind::Generic)?;
                }
            }
            if !self.next_member(b'}')? {
                return Ok(());
            }
        }
    }

    /// The tag's value of the union object at the cursor (serde writes it
    /// first; otherwise the object's keys are scanned).
    fn find_tag(&self, tag: &str) -> Result<Option<&'a str>, Error> {
        let text: &'a str = self.text;
        let mut j = self.i + 1;
        let skip_ws = |mut j: usize| {
            while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(j) {
                j += 1;
            }
            j
        };
        loop {
            j = skip_ws(j);
            if self.s.get(j) != Some(&b'"') {
                return Ok(None);
            }
            let kend = self.string_end(j)?;
            let key = &text[j + 1..kend - 1];
            j = skip_ws(kend);
            if self.s.get(j) != Some(&b':') {
                return Err(malformed());
            }
            j = skip_ws(j + 1);
            let vend = self.value_end(j)?;
            if key == tag {
                let v = &text[j..vend];
                return Ok(v.strip_prefix('"').and_then(|v| v.strip_suffix('"')));
            }
            j = skip_ws(vend);
            if self.s.get(j) != Some(&b',') {
                return Ok(None);
            }
            j += 1;
        }
    }

    fn union(&mut self, u: &'static OutUnion) -> Result<(), Error> {
        let t = self.t;
        let variant = self
            .find_tag(u.tag)?
            .and_then(|tag| u.variants.iter().find(|(v, _)| *v == tag))
            .map(|(_, kind)| kind);
        let Some(kind) = variant else {
            return self.record(None, Some(u));
        };
        let Some(content) = u.content else {
            // Internally tagged: the variant's fields sit beside the tag.
            let fields = match kind {
                Kind::Node(i) => match &t.nodes[*i] {
                    Node::Rec(fields) => Some(fields.as_slice()),
                    Node::Union(_) => None,
                },
                _ => None,
            };
            return self.record(fields, Some(u));
        };
        // Adjacently tagged: {tag, content}.
        if !self.open(b'{', b'}')? {
            return Ok(());
        }
        loop {
            let key = self.key()?;
            if key == content {
                self.out.push_str(&u.content_out);
                self.value(kind)?;
            } else if key == u.tag {
                self.out.push_str(&u.tag_out);
                self.copy()?;
            } else {
                self.push_camel_key(key);
                self.value(&Kind::Generic)?;
            }
            if !self.next_member(b'}')? {
                return Ok(());
            }
        }
    }
}

// --------------------------------------------------- the direct writer

use serde::ser::{self, Impossible, Serialize};

/// Why the direct writer gave up (the caller converts the text instead).
#[derive(Debug)]
struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unsupported by the direct writer")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<M: std::fmt::Display>(_msg: M) -> Self {
        Unsupported
    }
}

static GENERIC: Kind = Kind::Generic;
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
fn push_json_str(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else if let Ok(text) = serde_json::to_string(s) {
        out.push_str(&text);
    }
}

/// Writes `value` as `kind` says: user data through serde_json untouched.
fn write_value<T: Serialize + ?Sized>(
    out: &mut String,
    kind: &Kind,
    t: &'static Table,
    value: &T,
) -> Result<(), Unsupported> {
    match kind {
        Kind::Opaque => {
            out.push_str(&serde_json::to_string(value).map_err(|_| Unsupported)?);
            Ok(())
        }
        _ => value.serialize(Ser { out, kind, t }),
    }
}

/// Captures a string (a union tag, a map key, a raw value's text).
struct Capture;

impl ser::Serializer for Capture {
    type Ok = String;
    type Error = Unsupported;
    type SerializeSeq = Impossible<String, Unsupported>;
    type SerializeTuple = Impossible<String, Unsupported>;
    type SerializeTupleStruct = Impossible<String, Unsupported>;
    type SerializeTupleVariant = Impossible<String, Unsupported>;
    type SerializeMap = Impossible<String, Unsupported>;
    type SerializeStruct = Impossible<String, Unsupported>;
    type SerializeStructVariant = Impossible<String, Unsupported>;

    fn serialize_str(self, v: &str) -> Result<String, Unsupported> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, Unsupported> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<String, Unsupported> {
        v.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i8(self, _: i8) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i16(self, _: i16) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i32(self, _: i32) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u8(self, _: u8) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u16(self, _: u16) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u32(self, _: u32) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_i64(self, _: i64) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_u64(self, _: u64) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_char(self, c: char) -> Result<String, Unsupported> {
        Ok(c.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

/// Writes one value in the JS shape, as `kind` says.
struct Ser<'o, 'k> {
    out: &'o mut String,
    kind: &'k Kind,
    t: &'static Table,
}

/// An object being written: a record's fields, a union (its tag decides the
/// variant), or keys only.
struct Obj<'o> {
    out: &'o mut String,
    t: &'static Table,
    first: bool,
    /// The record's fields (`None`: keys converted, values not interpreted).
    fields: Option<&'static [OutField]>,
    next: usize,
    /// A union whose tag is still to come (it must come first).
    union: Option<&'static OutUnion>,
    /// An adjacently tagged union's content key and kind, once the tag is known.
    content: Option<(&'static str, &'static Kind)>,
    /// A map key waiting for its value.
    pending_key: Option<String>,
    /// serde_json's raw value (how an Amount writes its exact digits), and
    /// whether it is money: its one member is the JSON text itself.
    raw: Option<bool>,
}

impl Obj<'_> {
    fn open<'o>(out: &'o mut String, kind: &Kind, t: &'static Table) -> Obj<'o> {
        out.push('{');
        let (fields, union) = match kind {
            Kind::Node(i) => match &t.nodes[*i] {
                Node::Rec(f) => (Some(f.as_slice()), None),
                Node::Union(u) => (None, Some(u)),
            },
            _ => (None, None),
        };
        Obj {
            out,
            t,
            first: true,
            fields,
            next: 0,
            union,
            content: None,
            pending_key: None,
            raw: None,
        }
    }

    fn raw<'o>(out: &'o mut String, kind: &Kind, t: &'static Table) -> Obj<'o> {
        Obj {
            out,
            t,
            first: true,
            fields: None,
            next: 0,
            union: None,
            content: None,
            pending_key: None,
            raw: Some(matches!(kind, Kind::Money)),
        }
    }

    /// The text of a raw value: an amount's digits become a string.
    fn raw_member<T: Serialize + ?Sized>(&mut self, money: bool, value: &T) -> Result<(), Unsupported> {
        let raw = value.serialize(Capture)?;
        let raw = raw.trim();
        if money && raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            self.out.push('"');
            self.out.push_str(raw);
            self.out.push('"');
        } else {
            // Any other raw JSON: its keys are not the schema's, copy it.
            self.out.push_str(raw);
        }
        Ok(())
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unsupported> {
        if let Some(money) = self.raw {
            if key != RAW_VALUE_TOKEN || !self.first {
                return Err(Unsupported);
            }
            self.first = false;
            return self.raw_member(money, value);
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        let t = self.t;
        if let Some(u) = self.union {
            // The tag must be the first member: it picks the variant.
            if key != u.tag {
                return Err(Unsupported);
            }
            let tag = value.serialize(Capture)?;
            let kind = u.variants.iter().find(|(v, _)| *v == tag).map(|(_, k)| k);
            self.out.push_str(&u.tag_out);
            push_json_str(self.out, &tag);
            self.union = None;
            match (u.content, kind) {
                (None, Some(Kind::Node(i))) => match &t.nodes[*i] {
                    Node::Rec(f) => self.fields = Some(f.as_slice()),
                    Node::Union(_) => return Err(Unsupported),
                },
                (None, _) => self.fields = None,
                (Some(content), kind) => {
                    // The content comes next, under its key.
                    self.content = Some((content, kind.unwrap_or(&GENERIC)));
                    self.fields = None;
                }
            }
            return Ok(());
        }
        if let Some((content, content_kind)) = self.content
            && key == content
        {
            push_key_json(self.out, key);
            return write_value(self.out, content_kind, t, value);
        }
        let field = self.fields.and_then(|fs| match fs.get(self.next) {
            Some(f) if f.key == key => {
                self.next += 1;
                Some(f)
            }
            _ => {
                let i = fs.iter().position(|f| f.key == key)?;
                self.next = i + 1;
                Some(&fs[i])
            }
        });
        match field {
            Some(f) => {
                self.out.push_str(&f.out);
                write_value(self.out, &f.kind, t, value)
            }
            None => {
                self.out.push('"');
                push_camel(key, self.out);
                self.out.push_str("\":");
                value.serialize(Ser {
                    out: self.out,
                    kind: &GENERIC,
                    t,
                })
            }
        }
    }

    fn close(self) -> Result<(), Unsupported> {
        if self.raw.is_some() {
            return if self.first { Err(Unsupported) } else { Ok(()) };
        }
        if self.union.is_some() && !self.first {
            return Err(Unsupported);
        }
        self.out.push('}');
        Ok(())
    }
}

/// `"key":` for an adjacently tagged union's content key (a single word).
fn push_key_json(out: &mut String, key: &str) {
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

impl ser::SerializeStruct for Obj<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Unsupported> {
        self.member(key, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

impl ser::SerializeMap for Obj<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.pending_key = Some(key.serialize(Capture)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        let key = self.pending_key.take().ok_or(Unsupported)?;
        self.member(&key, value)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Unsupported> {
        let key = key.serialize(Capture)?;
        self.member(&key, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.close()
    }
}

/// A list being written.
struct Seq<'o> {
    out: &'o mut String,
    t: &'static Table,
    item: &'o Kind,
    first: bool,
}

impl<'o> Seq<'o> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_value(self.out, self.item, self.t, value)
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.element(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.out.push(']');
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.element(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.out.push(']');
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.element(value)
    }
    fn end(self) -> Result<(), Unsupported> {
        self.out.push(']');
        Ok(())
    }
}

impl<'o, 'k> ser::Serializer for Ser<'o, 'k>
where
    'k: 'o,
{
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Seq<'o>;
    type SerializeTuple = Seq<'o>;
    type SerializeTupleStruct = Seq<'o>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Obj<'o>;
    type SerializeStruct = Obj<'o>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        if matches!(self.kind, Kind::Money) {
            return Err(Unsupported);
        }
        self.out.push_str(&serde_json::to_string(&v).map_err(|_| Unsupported)?);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        use std::fmt::Write;
        write!(self.out, "{v}").map_err(|_| Unsupported)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        use std::fmt::Write;
        write!(self.out, "{v}").map_err(|_| Unsupported)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unsupported> {
        use std::fmt::Write;
        write!(self.out, "{v}").map_err(|_| Unsupported)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unsupported> {
        use std::fmt::Write;
        write!(self.out, "{v}").map_err(|_| Unsupported)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        // Not money (amounts are decimals): a float field, written as serde_json writes it.
        if matches!(self.kind, Kind::Money) {
            return Err(Unsupported);
        }
        self.out.push_str(&serde_json::to_string(&v).map_err(|_| Unsupported)?);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        push_json_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        push_json_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unsupported> {
        self.out.push_str(&serde_json::to_string(v).map_err(|_| Unsupported)?);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Unsupported> {
        push_json_str(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'o>, Unsupported> {
        let item: &'k Kind = match self.kind {
            Kind::List(inner) => inner,
            Kind::Opaque => return Err(Unsupported),
            _ => &GENERIC,
        };
        self.out.push('[');
        Ok(Seq {
            out: self.out,
            t: self.t,
            item,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'o>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'o>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Obj<'o>, Unsupported> {
        if matches!(self.kind, Kind::Opaque) {
            return Err(Unsupported);
        }
        Ok(Obj::open(self.out, self.kind, self.t))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Obj<'o>, Unsupported> {
        if name == RAW_VALUE_TOKEN {
            return Ok(Obj::raw(self.out, self.kind, self.t));
        }
        if matches!(self.kind, Kind::Opaque) {
            return Err(Unsupported);
        }
        Ok(Obj::open(self.out, self.kind, self.t))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys() {
        assert_eq!(camel_to_snake("phoneNumber"), "phone_number");
        assert_eq!(camel_to_snake("phone_number"), "phone_number");
        assert_eq!(camel_to_snake("enableDarajaPayload"), "enable_daraja_payload");
        assert_eq!(snake_to_camel("phone_number"), "phoneNumber");
        assert_eq!(snake_to_camel("_links"), "_links");
        assert_eq!(snake_to_camel("TransactionType"), "TransactionType");
        assert_eq!(snake_to_camel("self"), "self");
        assert!(names_key("phoneNumber", "phone_number"));
        assert!(names_key("phone_number", "phone_number"));
        assert!(names_key("_links", "_links"));
        assert!(!names_key("phoneNumbers", "phone_number"));
        assert!(!names_key("phone", "phone_number"));
        assert!(!names_key("PhoneNumber", "phone_number"));
    }

    #[test]
    fn error_field_paths_follow_the_schema() {
        let ip = Some("IncomingPaymentRequest");
        assert_eq!(field_out("phone_number", ip), "phoneNumber");
        assert_eq!(field_out("callback_url", ip), "callbackUrl");
        assert_eq!(field_out("amount", ip), "amount");
        // Metadata keys are the caller's: kept as given.
        assert_eq!(field_out("metadata.order_id", ip), "metadata.order_id");
        assert_eq!(field_out("metadata.a.b_c[0]", ip), "metadata.a.b_c[0]");
        let sm = Some("SendMoneyRequest");
        assert_eq!(field_out("destinations[0].amount", sm), "destinations[0].amount");
        assert_eq!(
            field_out("destinations[12].phone_number", sm),
            "destinations[12].phoneNumber"
        );
        assert_eq!(field_out("destinations[1].type", sm), "destinations[1].type");
        assert_eq!(field_out("callback_url", sm), "callbackUrl");
        // Not in the schema (unknown keys, options, arguments): camelCase, as the caller spelt it.
        assert_eq!(field_out("phone_numbr", ip), "phoneNumbr");
        assert_eq!(field_out("client_id", None), "clientId");
        assert_eq!(field_out("timeout_ms", None), "timeoutMs");
        assert_eq!(field_out("operation", None), "operation");
        assert_eq!(field_out("", None), "");
    }

    #[test]
    fn params_keep_metadata_and_check_amounts_by_schema() {
        let v = params_in(
            json!({
                "callbackUrl": "u",
                "metadata": {"customerId": 1, "amount": 1.5},
                "destinations": [{"type": "mobile_wallet", "phoneNumber": "0712", "amount": 100}]
            }),
            Some("SendMoneyRequest"),
        )
        .unwrap();
        assert_eq!(v["callback_url"], "u");
        assert_eq!(v["metadata"]["customerId"], 1);
        assert_eq!(v["metadata"]["amount"], 1.5);
        assert_eq!(v["destinations"][0]["phone_number"], "0712");
        assert_eq!(v["destinations"][0]["type"], "mobile_wallet");
        let e = params_in(
            json!({"destinations": [{"type": "till", "amount": 10.5}]}),
            Some("SendMoneyRequest"),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("destinations[0].amount"));
        assert_eq!(e.code(), "invalid_argument");
        let e = params_in(json!({"amount": 10.5}), Some("PaymentLinkRequest")).unwrap_err();
        assert_eq!(e.field(), Some("amount"));
        // Not money in the schema: left to the core.
        assert!(params_in(json!({"amount": 10.5}), Some("ReversalRequest")).is_ok());
    }

    #[test]
    fn results_stringify_amounts_exactly_by_schema() {
        let text = r#"{"id":"x","type":"payment_link","status":"Active","created_at":"t","amount":12345678901234567.89,
            "metadata":{"some_key":1,"amount":2.5},"errors":[],"payment_link":null,
            "_links":{"callback_url":"u","self":"s","resource":null}}"#;
        let v: Value = serde_json::from_str(&result_out(text, Some("PaymentLink")).unwrap()).unwrap();
        assert_eq!(v["amount"], "12345678901234567.89");
        assert_eq!(v["createdAt"], "t");
        assert_eq!(v["_links"]["callbackUrl"], "u");
        assert_eq!(v["metadata"]["some_key"], 1);
        assert_eq!(v["metadata"]["amount"], 2.5);
        // An amount object's value is money because the schema says so.
        let text = r#"{"kind":"send_money","value":{"id":"i","type":"settlement_transfer","status":"s",
            "amount":{"currency":"KES","value":69352.10},"destinations":[],"transfer_batches":
            [{"status":null,"amount":1.10,"disbursements":[]}],"errors":[],"metadata":{},"_links":{}}}"#;
        let v: Value = serde_json::from_str(&result_out(text, Some("CallbackResult")).unwrap()).unwrap();
        assert_eq!(v["value"]["amount"]["value"], "69352.10");
        assert_eq!(v["value"]["amount"]["currency"], "KES");
        assert_eq!(v["value"]["transferBatches"][0]["amount"], "1.10");
        // An unknown result type: its value is typed (result_type), its raw is not.
        let out = result_out(
            r#"{"kind":"unknown","value":{"result_type":"x","raw":{"a_b":1,"amount":1.5}}}"#,
            Some("CallbackResult"),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["value"]["resultType"], "x");
        assert_eq!(v["value"]["raw"]["a_b"], 1);
        assert_eq!(v["value"]["raw"]["amount"], 1.5);
        // Webhooks: flattened variants, Daraja keys, unknown resources kept whole.
        let out = result_out(
            r#"{"structure":"daraja","TransactionType":"Buy Goods","TransID":"T","TransTime":"2021",
                "TransAmount":100.50,"topic":"buygoods_transaction_received"}"#,
            Some("Webhook"),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["TransAmount"], "100.50");
        assert_eq!(v["TransID"], "T");
        let out = result_out(
            r#"{"structure":"k2","id":"i","topic":"x","created_at":null,"event_type":null,
               "resource":{"kind":"unknown","value":{"raw_key":2,"amount":3.5}},"links":{"self":"s"}}"#,
            Some("Webhook"),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["resource"]["value"]["raw_key"], 2);
        assert_eq!(v["resource"]["value"]["amount"], 3.5);
        assert_eq!(v["createdAt"], Value::Null);
        let out = result_out(
            r#"{"structure":"k2","id":"i","topic":"t","resource":{"kind":"transaction","value":{"amount":7.25,"sender_phone_number":"p"}}}"#,
            Some("Webhook"),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["resource"]["value"]["amount"], "7.25");
        assert_eq!(v["resource"]["value"]["senderPhoneNumber"], "p");
        // Without a schema: keys only, numbers stay numbers.
        let out = result_out(r#"{"a_b": {"amount": 1.5}, "s": "x\"y"}"#, None).unwrap();
        assert_eq!(out, r#"{"aB":{"amount":1.5},"s":"x\"y"}"#);
        assert_eq!(result_out("null", Some("Created")).unwrap(), "null");
        assert!(result_out("{\"a\":", None).is_err());
        assert!(result_out("{} x", None).is_err());
    }
}

#[cfg(test)]
mod direct_tests {
    /// The direct writer and the text conversion agree on every fixture and
    /// captured payload, and the direct writer never falls back on them.
    #[test]
    fn direct_equals_text_conversion_on_every_fixture() {
        let mut n = 0;
        for dir in ["../tests/fixtures", "../tests/fixtures/live"] {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let Ok(body) = std::fs::read(e.path()) else { continue };
                let (direct, text) = if name.starts_with("webhook.") {
                    let Ok(w) = kopokopo::webhooks::decode_webhook(&body) else {
                        continue;
                    };
                    (
                        super::direct(&w, "Webhook"),
                        super::result_out(&serde_json::to_string(&w).unwrap(), Some("Webhook")),
                    )
                } else if name.starts_with("result.") {
                    let Ok(r) = kopokopo::webhooks::decode_result(&body) else {
                        continue;
                    };
                    (
                        super::direct(&r, "CallbackResult"),
                        super::result_out(&serde_json::to_string(&r).unwrap(), Some("CallbackResult")),
                    )
                } else {
                    continue;
                };
                let direct = direct.unwrap_or_else(|| panic!("{name}: the direct writer gave up"));
                assert_eq!(direct, text.unwrap(), "{name}");
                n += 1;
            }
        }
        assert!(n >= 20, "only {n} payloads");
        // Every event vector too (unknown topics and result types, odd shapes).
        let vectors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("../tests/vectors/events.json").unwrap()).unwrap();
        let mut m = 0;
        for c in vectors["cases"].as_array().unwrap() {
            let body = if let Some(f) = c["fixture"].as_str() {
                std::fs::read(format!("../tests/fixtures/{f}")).unwrap()
            } else if let Some(b) = c["body"].as_str() {
                b.as_bytes().to_vec()
            } else {
                continue;
            };
            let (direct, text) = if c["kind"] == "webhook" {
                let Ok(w) = kopokopo::webhooks::decode_webhook(&body) else {
                    continue;
                };
                (
                    super::direct(&w, "Webhook"),
                    super::result_out(&serde_json::to_string(&w).unwrap(), Some("Webhook")),
                )
            } else {
                let Ok(r) = kopokopo::webhooks::decode_result(&body) else {
                    continue;
                };
                (
                    super::direct(&r, "CallbackResult"),
                    super::result_out(&serde_json::to_string(&r).unwrap(), Some("CallbackResult")),
                )
            };
            let name = c["name"].as_str().unwrap_or("?");
            let direct = direct.unwrap_or_else(|| panic!("{name}: the direct writer gave up"));
            assert_eq!(direct, text.unwrap(), "{name}");
            m += 1;
        }
        assert!(m >= 30, "only {m} event vectors");
    }
}
