// Hand-written (not generated): Swift entry points over the generated bindings.
import Foundation

/// Swift conveniences: a `ClientConfig` whose User-Agent says `swift/<version>`.
///
/// ```swift
/// let client = try KopoKopoSDK.client(clientId: id, clientSecret: secret, apiKey: apiKey)
/// ```
///
/// Every client method blocks until the API answers: call it off the main thread.
public enum KopoKopoSDK {
    /// The version of this package (the Rust core's version).
    public static var version: String { libraryVersion() }

    /// What this package appends to the User-Agent: `swift/<version>; <OS>`.
    public static var userAgentSuffix: String {
        #if os(iOS)
        let os = "iOS"
        #elseif os(macOS)
        let os = "macOS"
        #elseif os(Linux)
        let os = "Linux"
        #else
        let os = "unknown"
        #endif
        return "swift/\(libraryVersion()); \(os)"
    }

    /// A `ClientConfig` with the Swift User-Agent suffix.
    ///
    /// The options are the same in every language: `baseUrl` (`nil`: the sandbox),
    /// `timeoutMs` and `connectTimeoutMs` (at most one hour), `maxRetries` (GET and token
    /// requests only; payments are never retried), `userAgentSuffix` (appended after
    /// `swift/<version>; <OS>`, e.g. `myapp/2.1`) and `proxy`: `nil` or `"env"` reads
    /// `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` from the environment (never `HTTP_PROXY`),
    /// `"none"` connects directly, anything else is a proxy URL (`http://user:pass@proxy:3128`).
    public static func config(
        clientId: String,
        clientSecret: String,
        apiKey: String? = nil,
        baseUrl: String? = nil,
        timeoutMs: UInt64? = nil,
        connectTimeoutMs: UInt64? = nil,
        maxRetries: UInt32? = nil,
        proxy: String? = nil,
        userAgentSuffix extra: String? = nil
    ) -> ClientConfig {
        ClientConfig(
            clientId: clientId,
            clientSecret: clientSecret,
            apiKey: apiKey,
            baseUrl: baseUrl,
            timeoutMs: timeoutMs,
            connectTimeoutMs: connectTimeoutMs,
            maxRetries: maxRetries,
            userAgentSuffix: (extra ?? "").isEmpty ? userAgentSuffix : "\(userAgentSuffix); \(extra!)",
            proxy: proxy
        )
    }

    /// A client (see `config`); throws `KopoKopoError.InvalidArgument` for a bad configuration.
    public static func client(
        clientId: String,
        clientSecret: String,
        apiKey: String? = nil,
        baseUrl: String? = nil,
        timeoutMs: UInt64? = nil,
        connectTimeoutMs: UInt64? = nil,
        maxRetries: UInt32? = nil,
        proxy: String? = nil,
        userAgentSuffix: String? = nil
    ) throws -> KopoKopoClient {
        try KopoKopoClient(config: config(
            clientId: clientId, clientSecret: clientSecret, apiKey: apiKey, baseUrl: baseUrl,
            timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs, maxRetries: maxRetries,
            proxy: proxy, userAgentSuffix: userAgentSuffix
        ))
    }
}
