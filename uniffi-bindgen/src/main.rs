//! The UniFFI binding generator, pinned to the same UniFFI version as
//! `bindings-uniffi` (`cargo run -p uniffi-bindgen -- generate --library ...`).
fn main() {
    uniffi::uniffi_bindgen_main()
}
