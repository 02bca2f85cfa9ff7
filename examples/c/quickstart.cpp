// Quickstart in C++: the C API wrapped with RAII. Same flow as quickstart.c:
// token, STK push, status. K2_BASE_URL, K2_CALLBACK_URL etc. as in quickstart.c.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <kopokopo.h>

namespace k2 {

struct ErrorDeleter {
    void operator()(k2_error *e) const { k2_error_free(e); }
};
struct ClientDeleter {
    void operator()(k2_client *c) const { k2_client_free(c); }
};
struct BuilderDeleter {
    void operator()(k2_config_builder *b) const { k2_config_builder_free(b); }
};
struct ConfigDeleter {
    void operator()(k2_config *c) const { k2_config_free(c); }
};

class Error : public std::runtime_error {
  public:
    Error(k2_status status, k2_error *raw)
        : std::runtime_error(raw ? k2_error_message(raw) : k2_status_name(status)), status_(status),
          code_(raw ? k2_error_code(raw) : "") {
        std::unique_ptr<k2_error, ErrorDeleter> owned(raw);
        if (raw && k2_error_field(raw))
            field_ = k2_error_field(raw);
    }
    k2_status status() const { return status_; }
    const std::string &code() const { return code_; }
    const std::string &field() const { return field_; }

  private:
    k2_status status_;
    std::string code_, field_;
};

// Takes ownership of a string returned by the library.
inline std::string take(char *s) {
    std::string out = s ? s : "";
    k2_string_free(s);
    return out;
}

inline void check(k2_status st, k2_error *err) {
    if (st != K2_STATUS_OK)
        throw Error(st, err);
}

// The configuration builder, with chained setters.
class ConfigBuilder {
  public:
    ConfigBuilder(const char *client_id, const char *client_secret) {
        k2_config_builder *raw = nullptr;
        k2_error *err = nullptr;
        check(k2_config_builder_new(client_id, client_secret, &raw, &err), err);
        builder_.reset(raw);
    }
    ConfigBuilder &base_url(const char *url) { return set(k2_config_builder_set_base_url, url); }
    ConfigBuilder &api_key(const char *key) { return set(k2_config_builder_set_api_key, key); }
    ConfigBuilder &user_agent_suffix(const char *s) { return set(k2_config_builder_set_user_agent_suffix, s); }
    ConfigBuilder &proxy(const char *p) { return set(k2_config_builder_set_proxy, p); }
    ConfigBuilder &timeout(std::chrono::milliseconds t) {
        k2_error *err = nullptr;
        check(k2_config_builder_set_timeout_ms(builder_.get(), static_cast<uint64_t>(t.count()), &err), err);
        return *this;
    }
    ConfigBuilder &connect_timeout(std::chrono::milliseconds t) {
        k2_error *err = nullptr;
        check(k2_config_builder_set_connect_timeout_ms(builder_.get(), static_cast<uint64_t>(t.count()), &err), err);
        return *this;
    }
    ConfigBuilder &max_retries(uint32_t n) {
        k2_error *err = nullptr;
        check(k2_config_builder_set_max_retries(builder_.get(), n, &err), err);
        return *this;
    }
    // Consumes the builder.
    std::unique_ptr<k2_config, ConfigDeleter> build() {
        k2_config *config = nullptr;
        k2_error *err = nullptr;
        check(k2_config_builder_build(builder_.release(), &config, &err), err);
        return std::unique_ptr<k2_config, ConfigDeleter>(config);
    }

  private:
    ConfigBuilder &set(k2_status (*fn)(k2_config_builder *, const char *, k2_error **), const char *value) {
        k2_error *err = nullptr;
        check(fn(builder_.get(), value, &err), err);
        return *this;
    }
    std::unique_ptr<k2_config_builder, BuilderDeleter> builder_;
};

class Client {
  public:
    explicit Client(const k2_config *config) {
        k2_client *raw = nullptr;
        k2_error *err = nullptr;
        check(k2_client_new(config, &raw, &err), err);
        client_.reset(raw);
    }
    // Any operation by name; params and result are JSON.
    std::string call(const std::string &operation, const std::string &params_json = "{}") const {
        char *out = nullptr;
        k2_error *err = nullptr;
        k2_status st = k2_client_call(client_.get(), operation.c_str(), params_json.c_str(), &out, &err);
        if (st != K2_STATUS_OK)
            throw Error(st, err);
        return take(out);
    }
    std::string payment_status(const std::string &location) const {
        char *out = nullptr;
        k2_error *err = nullptr;
        k2_status st = k2_incoming_payments_status(client_.get(), location.c_str(), &out, &err);
        if (st != K2_STATUS_OK)
            throw Error(st, err);
        return take(out);
    }

  private:
    std::unique_ptr<k2_client, ClientDeleter> client_;  // shareable between threads
};

}  // namespace k2

// Field `path` of a result (k2_json_get: "status", "event.resource.amount", ...); "" when
// absent or null. Amounts are strings of their exact digits, never doubles.
static std::string json_get(const std::string &json, const char *path) {
    char *value = nullptr;
    std::string out;
    if (k2_json_get(json.c_str(), path, &value, nullptr) == K2_STATUS_OK && value)
        out = value;
    k2_string_free(value);
    return out;
}

static const char *env(const char *name, const char *fallback) {
    const char *v = std::getenv(name);
    return v && *v ? v : fallback;
}

int main() {
    try {
        k2::ConfigBuilder builder(env("K2_CLIENT_ID", "k2-mock-client-id"),
                                  env("K2_CLIENT_SECRET", "k2-mock-client-secret"));
        builder.api_key(env("K2_API_KEY", "k2-mock-api-key"))
            .timeout(std::chrono::seconds(20))
            .connect_timeout(std::chrono::seconds(5))
            .max_retries(3);
        if (const char *url = std::getenv("K2_BASE_URL"))
            builder.base_url(url);                 // not set: the sandbox
        k2::Client client(builder.build().get());  // the client keeps its own copy of the configuration
        std::cout << "kopokopo " << k2_version() << "\n";
        client.call("tokens.request");
        std::cout << "token: ok\n";
        const std::string callback = env("K2_CALLBACK_URL", "http://127.0.0.1:8080/k2/results");
        std::string created = client.call(
            "incoming_payments.create",
            R"({"till_number": "K000000", "phone_number": "0712345678", "amount": "150.00", "callback_url": ")" +
                callback + R"("})");
        std::string location = json_get(created, "location");
        std::cout << "STK push started: " << location << "\n";
        std::string status = "Pending";
        for (int i = 0; i < 20 && status == "Pending"; i++) {
            status = json_get(client.payment_status(location), "status");
            if (status == "Pending")
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        std::cout << "payment status: " << status << "\n";
        try {
            client.call("incoming_payments.status", "{}");
        } catch (const k2::Error &e) {
            std::cout << "invalid request -> " << e.code() << ", field " << e.field() << "\n";
        }
        return status == "Success" ? 0 : 1;
    } catch (const k2::Error &e) {
        std::cerr << "error " << e.code() << ": " << e.what() << "\n";
        return 1;
    }
}
