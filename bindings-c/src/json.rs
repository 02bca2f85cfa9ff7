//! Reading fields of the JSON this library returns, without a JSON library
//! (the core's `dynamic::json_get` / `json_length`).

use std::ffi::c_char;

use crate::ffi::{arg_str, give_string, guard, invalid, k2_error, k2_status, out_ptr};

/// Reads one field of a JSON text (a result, webhook or callback result of
/// this library, or any JSON) by its path, so that C code needs no JSON
/// library.
///
/// The path is the field's keys separated by `.`, with array indexes in
/// brackets, as `k2_error_field()` names fields: `"resource.amount"`,
/// `"destinations[0].amount"`, `"value.event.resource.sender_phone_number"`;
/// `""` is the whole text. Keys that contain `.` or `[` cannot be named.
///
/// What `*value_out` receives:
///  - a string: its text, unescaped (an amount: `"150.55"`, its exact
///    decimal digits; parse them with your decimal type, never `strtod`);
///  - a number, `true`, `false`: its JSON text exactly as written;
///  - an object or an array: its JSON text (pass it to `k2_json_get()` again);
///  - NULL, with `K2_STATUS_OK`, when a key is absent, an index is out of
///    range, or the value (or one on the way) is `null`.
///
/// Example: `k2_json_get(event, "resource.amount", &amount, &err)`
/// gives `"150.55"` for a `buygoods_transaction_received` webhook.
///
/// @param json      the JSON text (required, UTF-8).
/// @param path      the field's path (required, UTF-8).
/// @param value_out receives the value as text, or NULL when it is absent or
///                  null (required; release with `k2_string_free()`).
/// @param err       optional error out-parameter.
/// @return `K2_STATUS_OK` (found or absent), or `K2_STATUS_INVALID_ARGUMENT`:
///         `json` is not JSON (field `json`), or `path` is malformed or walks
///         into a value of another kind, e.g. `"destinations.0"` for an array
///         (field `path`). Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_json_get(
    json: *const c_char,
    path: *const c_char,
    value_out: *mut *mut c_char,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            out_ptr(value_out, "value_out")?;
            let json = arg_str(json, "json")?;
            let path = arg_str(path, "path")?;
            if let Some(value) = kopokopo::dynamic::json_get(json, path)? {
                give_string(value_out, value);
            }
            Ok(())
        })
    }
}

/// The number of elements of the array (or members of the object) at a
/// path of a JSON text (paths as `k2_json_get()`), e.g. the destinations of
/// a send-money result, to read them as `"destinations[0].amount"`, ...
///
/// @param json       the JSON text (required, UTF-8).
/// @param path       the path of the array or object (required, UTF-8).
/// @param length_out receives the length; 0 when the value is absent or
///                   null (required; 0 on failure).
/// @param err        optional error out-parameter.
/// @return `K2_STATUS_OK`, or `K2_STATUS_INVALID_ARGUMENT` (as
///         `k2_json_get()`, and when the value is neither an array nor an
///         object: field `path`). Thread-safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn k2_json_length(
    json: *const c_char,
    path: *const c_char,
    length_out: *mut usize,
    err: *mut *mut k2_error,
) -> k2_status {
    // SAFETY: pointer contracts are documented above.
    unsafe {
        guard(err, || {
            if length_out.is_null() {
                return Err(invalid("length_out", "out-parameter must not be NULL"));
            }
            *length_out = 0;
            let json = arg_str(json, "json")?;
            let path = arg_str(path, "path")?;
            *length_out = kopokopo::dynamic::json_length(json, path)?.unwrap_or(0);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    unsafe fn get(json: &CStr, path: &CStr) -> (k2_status, Option<String>) {
        let mut out: *mut c_char = ptr::null_mut();
        let st = unsafe { k2_json_get(json.as_ptr(), path.as_ptr(), &mut out, ptr::null_mut()) };
        let value = (!out.is_null()).then(|| unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string());
        unsafe { crate::k2_string_free(out) };
        (st, value)
    }

    #[test]
    fn reads_fields() {
        let doc = c"{\"destinations\":[{\"amount\":\"12345678901234567.89\"}],\"n\":null}";
        unsafe {
            assert_eq!(
                get(doc, c"destinations[0].amount"),
                (k2_status::K2_STATUS_OK, Some("12345678901234567.89".into()))
            );
            assert_eq!(get(doc, c"n"), (k2_status::K2_STATUS_OK, None));
            assert_eq!(get(doc, c"missing"), (k2_status::K2_STATUS_OK, None));
            assert_eq!(
                get(doc, c"destinations.0.amount").0,
                k2_status::K2_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(get(c"{", c"a").0, k2_status::K2_STATUS_INVALID_ARGUMENT);
            assert_eq!(
                k2_json_get(doc.as_ptr(), c"n".as_ptr(), ptr::null_mut(), ptr::null_mut()),
                k2_status::K2_STATUS_INVALID_ARGUMENT
            );
            let mut n = 7usize;
            assert_eq!(
                k2_json_length(doc.as_ptr(), c"destinations".as_ptr(), &mut n, ptr::null_mut()),
                k2_status::K2_STATUS_OK
            );
            assert_eq!(n, 1);
            assert_eq!(
                k2_json_length(
                    doc.as_ptr(),
                    c"destinations[0].amount".as_ptr(),
                    &mut n,
                    ptr::null_mut()
                ),
                k2_status::K2_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(n, 0);
        }
    }
}
