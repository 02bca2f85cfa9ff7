//! `#[derive(Schema)]` for the `kopokopo` crate: a type describes itself
//! (`kopokopo::schema::TypeDef`) from its own definition: its doc comments,
//! its fields and their types, and its serde renames and tagging. Internal to
//! the `kopokopo` crate; see `core/src/schema.rs`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{
    Attribute, Data, DeriveInput, Expr, Fields, GenericArgument, Lit, Meta, PathArguments, Type, parse_macro_input,
};

/// Derives `kopokopo::schema::Schema`.
#[proc_macro_derive(Schema, attributes(schema))]
pub fn derive_schema(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn doc_of(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for a in attrs {
        if !a.path().is_ident("doc") {
            continue;
        }
        if let Meta::NameValue(nv) = &a.meta
            && let Expr::Lit(l) = &nv.value
            && let Lit::Str(s) = &l.lit
        {
            lines.push(s.value().trim().to_string());
        }
    }
    lines.join("\n").trim().to_string()
}

/// `(key, value)` pairs of `#[serde(...)]` (values only for `k = "v"`).
fn serde_args(attrs: &[Attribute]) -> syn::Result<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    for a in attrs {
        if !a.path().is_ident("serde") {
            continue;
        }
        a.parse_nested_meta(|m| {
            let key = m.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
            if m.input.peek(syn::Token![=]) {
                let v = m.value()?;
                let e: Expr = v.parse()?;
                let s = match e {
                    Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
                    _ => None,
                };
                out.push((key, s));
            } else if m.input.peek(syn::token::Paren) {
                // e.g. `default(...)`: skip the group
                let content;
                syn::parenthesized!(content in m.input);
                let _: Tokens = content.parse()?;
                out.push((key, None));
            } else {
                out.push((key, None));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn serde_value(args: &[(String, Option<String>)], key: &str) -> Option<String> {
    args.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.clone())
}

fn schema_flags(attrs: &[Attribute]) -> syn::Result<Vec<String>> {
    let mut out = Vec::new();
    for a in attrs {
        if a.path().is_ident("schema") {
            a.parse_nested_meta(|m| {
                out.push(m.path.get_ident().map(|i| i.to_string()).unwrap_or_default());
                Ok(())
            })?;
        }
    }
    Ok(out)
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        Type::Reference(r) => last_segment(&r.elem),
        _ => None,
    }
}

fn first_arg(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// The `Ty` expression of a type, and whether it is optional; `deps` gets
/// the referenced types.
fn ty_of(ty: &Type, flags: &[String], deps: &mut Vec<Type>) -> syn::Result<(Tokens, bool)> {
    let seg = last_segment(ty).ok_or_else(|| syn::Error::new_spanned(ty, "Schema: unsupported field type"))?;
    let name = seg.ident.to_string();
    if name == "Option" {
        let inner = first_arg(seg).ok_or_else(|| syn::Error::new_spanned(ty, "Schema: Option without a type"))?;
        let (t, _) = ty_of(inner, flags, deps)?;
        return Ok((t, true));
    }
    if name == "Vec" {
        let inner = first_arg(seg).ok_or_else(|| syn::Error::new_spanned(ty, "Schema: Vec without a type"))?;
        let (t, _) = ty_of(inner, flags, deps)?;
        return Ok((quote!(crate::schema::Ty::List(&#t)), false));
    }
    if name == "Box" {
        let inner = first_arg(seg).ok_or_else(|| syn::Error::new_spanned(ty, "Schema: Box without a type"))?;
        return ty_of(inner, flags, deps);
    }
    let t = if flags.iter().any(|f| f == "timestamp") {
        quote!(crate::schema::Ty::Timestamp)
    } else if flags.iter().any(|f| f == "string") {
        quote!(crate::schema::Ty::Str)
    } else {
        match name.as_str() {
            "String" | "str" => quote!(crate::schema::Ty::Str),
            "Amount" => quote!(crate::schema::Ty::Money),
            "bool" => quote!(crate::schema::Ty::Bool),
            "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" | "isize" => {
                quote!(crate::schema::Ty::Int)
            }
            "Metadata" | "Map" => quote!(crate::schema::Ty::Metadata),
            "Value" => quote!(crate::schema::Ty::Json),
            other => {
                if !deps
                    .iter()
                    .any(|d| last_segment(d).map(|s| s.ident == seg.ident).unwrap_or(false))
                {
                    deps.push(ty.clone());
                }
                quote!(crate::schema::Ty::Ref(#other))
            }
        }
    };
    Ok((t, false))
}

fn fields_of(fields: &Fields, deps: &mut Vec<Type>) -> syn::Result<Tokens> {
    let mut out = Vec::new();
    match fields {
        Fields::Named(named) => {
            for f in &named.named {
                let args = serde_args(&f.attrs)?;
                if args.iter().any(|(k, _)| k == "skip" || k == "skip_serializing") {
                    continue;
                }
                let flags = schema_flags(&f.attrs)?;
                let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                let key = serde_value(&args, "rename").unwrap_or_else(|| name.clone());
                let (ty, optional) = ty_of(&f.ty, &flags, deps)?;
                let has_default = !optional && args.iter().any(|(k, _)| k == "default");
                let skip_if_none = args.iter().any(|(k, _)| k == "skip_serializing_if");
                let doc = doc_of(&f.attrs);
                out.push(quote!(crate::schema::Field {
                    name: #name, key: #key, ty: #ty, optional: #optional, has_default: #has_default, skip_if_none: #skip_if_none, doc: #doc,
                }));
            }
        }
        Fields::Unnamed(unnamed) => {
            for f in &unnamed.unnamed {
                let flags = schema_flags(&f.attrs)?;
                let (ty, optional) = ty_of(&f.ty, &flags, deps)?;
                out.push(quote!(crate::schema::Field {
                    name: "", key: "", ty: #ty, optional: #optional, has_default: false, skip_if_none: false, doc: "",
                }));
            }
        }
        Fields::Unit => {}
    }
    Ok(quote!(&[#(#out),*]))
}

fn snake_case(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
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

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let ident = &input.ident;
    let name = ident.to_string();
    let doc = doc_of(&input.attrs);
    let mut deps: Vec<Type> = Vec::new();
    let shape = match &input.data {
        Data::Struct(s) => {
            let fields = fields_of(&s.fields, &mut deps)?;
            quote!(crate::schema::Shape::Record(#fields))
        }
        Data::Enum(e) => {
            let args = serde_args(&input.attrs)?;
            let tag = serde_value(&args, "tag")
                .ok_or_else(|| syn::Error::new_spanned(ident, "Schema: enums must be tagged (#[serde(tag = ...)])"))?;
            let content = match serde_value(&args, "content") {
                Some(c) => quote!(Some(#c)),
                None => quote!(None),
            };
            let snake = serde_value(&args, "rename_all").as_deref() == Some("snake_case");
            let mut variants = Vec::new();
            for v in &e.variants {
                let vargs = serde_args(&v.attrs)?;
                let vname = v.ident.to_string();
                let vtag = serde_value(&vargs, "rename")
                    .unwrap_or_else(|| if snake { snake_case(&vname) } else { vname.clone() });
                let vdoc = doc_of(&v.attrs);
                let fields = fields_of(&v.fields, &mut deps)?;
                variants.push(quote!(crate::schema::Variant {
                    name: #vname, tag: #vtag, doc: #vdoc, fields: #fields,
                }));
            }
            quote!(crate::schema::Shape::Union { tag: #tag, content: #content, variants: &[#(#variants),*] })
        }
        Data::Union(_) => return Err(syn::Error::new_spanned(ident, "Schema: unions are not supported")),
    };
    let (impl_g, ty_g, where_c) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_g crate::schema::Schema for #ident #ty_g #where_c {
            const DEF: crate::schema::TypeDef = crate::schema::TypeDef {
                name: #name,
                doc: #doc,
                shape: #shape,
                deps: &[#(<#deps as crate::schema::Schema>::def),*],
            };
            fn def() -> &'static crate::schema::TypeDef {
                static DEF: crate::schema::TypeDef = <#ident as crate::schema::Schema>::DEF;
                &DEF
            }
        }
    })
}
