// Quickstart in C++: the C API wrapped with RAII. Same flow as quickstart.c:
// token, STK push, status. K2_BASE_URL, K2_CALLBACK_URL etc. as in quickstart.c.
#include <chrono>
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

class Error : public std::runtime_error {
public:
    Error(k2_status status, k2_error *raw)
        : std::runtime_error(raw ? k2_error_message(raw) : k2_status_name(status)),
          status_(status), code_(raw ? k2_error_code(raw) : "") {
        std::unique_ptr<k2_error, ErrorDeleter> owned(raw);
        if (raw && k2_error_field(raw)) field_ = k2_error_field(raw);
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

class Client {
public:
    explicit Client(const k2_config &config) {
        k2_client *raw = nullptr;
        k2_error *err = nullptr;
        k2_status st = k2_client_new(&config, &raw, &err);
        if (st != K2_STATUS_OK) throw Error(st, err);
        client_.reset(raw);
    }
    // Any operation by name; params and result are JSON.
    std::string call(const std::string &operation, const std::string &params_json = "{}") const {
        char *out = nullptr;
        k2_error *err = nullptr;
        k2_status st = k2_client_call(client_.get(), operation.c_str(), params_json.c_str(), &out, &err);
        if (st != K2_STATUS_OK) throw Error(st, err);
        return take(out);
    }
    std::string payment_status(const std::string &location) const {
        char *out = nullptr;
        k2_error *err = nullptr;
        k2_status st = k2_get_incoming_payment(client_.get(), location.c_str(), &out, &err);
        if (st != K2_STATUS_OK) throw Error(st, err);
        return take(out);
    }

private:
    std::unique_ptr<k2_client, ClientDeleter> client_;  // shareable between threads
};

}  // namespace k2

static std::string json_get(const std::string &json, const std::string &key) {
    const std::string pattern = "\"" + key + "\":\"";
    auto p = json.rfind(pattern);  // the last one: the top-level field (keys are sorted)
    if (p == std::string::npos) return "";
    p += pattern.size();
    return json.substr(p, json.find('"', p) - p);
}

static const char *env(const char *name, const char *fallback) {
    const char *v = std::getenv(name);
    return v && *v ? v : fallback;
}

int main() {
    k2_config config{};
    config.client_id = env("K2_CLIENT_ID", "k2-mock-client-id");
    config.client_secret = env("K2_CLIENT_SECRET", "k2-mock-client-secret");
    config.api_key = env("K2_API_KEY", "k2-mock-api-key");
    config.base_url = env("K2_BASE_URL", nullptr);
    config.timeout_ms = 20000;
    try {
        k2::Client client(config);
        std::cout << "kopokopo " << k2_version() << "\n";
        client.call("request_access_token");
        std::cout << "token: ok\n";
        const std::string callback = env("K2_CALLBACK_URL", "http://127.0.0.1:8080/k2/results");
        std::string created = client.call("create_incoming_payment",
            R"({"till_number": "K000000", "phone_number": "0712345678", "amount": "150.00", "callback_url": ")" +
                callback + R"("})");
        std::string location = json_get(created, "location");
        std::cout << "STK push started: " << location << "\n";
        std::string status = "Pending";
        for (int i = 0; i < 20 && status == "Pending"; i++) {
            status = json_get(client.payment_status(location), "status");
            if (status == "Pending") std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        std::cout << "payment status: " << status << "\n";
        try {
            client.call("get_incoming_payment", "{}");
        } catch (const k2::Error &e) {
            std::cout << "invalid request -> " << e.code() << ", field " << e.field() << "\n";
        }
        return status == "Success" ? 0 : 1;
    } catch (const k2::Error &e) {
        std::cerr << "error " << e.code() << ": " << e.what() << "\n";
        return 1;
    }
}
