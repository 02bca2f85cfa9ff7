// Hand-written (not generated): keeps the secrets of the generated records out
// of `dump()`, `Mirror(reflecting:)`, `debugPrint` and `String(reflecting:)`.
//
// The generated `description` (the Rust `Display`) already redacts, but
// `dump()` and debuggers walk the stored properties through `Mirror`, which
// would show `clientSecret`, `apiKey` and `accessToken` in clear. The mirrors
// below list every field of the generated structs with the secret ones
// replaced by "[REDACTED]". If a field is added to `ClientConfig` or
// `AccessToken` in the Rust crate, add it here too:
// bindings-uniffi/tests/check_generated.py fails until every stored property
// of the generated structs has a label below (it runs without a Swift
// compiler); Tests/KopoKopoTests/RedactionTests.swift checks the output.
import Foundation

/// What a secret field shows in mirrors and debug output.
let kopoKopoRedacted = "[REDACTED]"

private func redact(_ value: String?) -> String? {
    value.map { _ in kopoKopoRedacted }
}

extension ClientConfig: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "clientId": clientId,
                "clientSecret": kopoKopoRedacted,
                "apiKey": redact(apiKey) as Any,
                "baseUrl": baseUrl as Any,
                "timeout": timeout as Any,
                "connectTimeout": connectTimeout as Any,
                "maxRetries": maxRetries as Any,
                "userAgentSuffix": userAgentSuffix as Any,
                // A proxy URL may carry credentials (`http://user:pass@proxy`).
                "proxy": redact(proxy) as Any,
            ],
            displayStyle: .struct
        )
    }
}

extension ClientConfig: CustomDebugStringConvertible {
    /// The redacted `description` (what `String(reflecting:)` and `debugPrint` show).
    public var debugDescription: String { description }
}

extension AccessToken: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessToken": kopoKopoRedacted,
                "tokenType": tokenType,
                "expiresIn": expiresIn,
                "createdAt": createdAt as Any,
            ],
            displayStyle: .struct
        )
    }
}

extension AccessToken: CustomDebugStringConvertible {
    /// The redacted `description` (what `String(reflecting:)` and `debugPrint` show).
    public var debugDescription: String { description }
}
