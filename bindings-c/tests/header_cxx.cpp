// The C header used from C++: compiles cleanly and links.
#include <cstdio>
#include <cstring>
#include <memory>

#include <kopokopo.h>

int main() {
    const char *v = k2_version();
    if (v == nullptr || std::strlen(v) == 0) return 1;
    k2_config cfg{};
    cfg.client_id = "id";
    cfg.client_secret = "secret";
    k2_client *raw = nullptr;
    if (k2_client_new(&cfg, &raw, nullptr) != K2_STATUS_OK) return 1;
    std::unique_ptr<k2_client, decltype(&k2_client_free)> client(raw, &k2_client_free);
    k2_error *err = nullptr;
    char *out = nullptr;
    k2_status st = k2_get_reversal(client.get(), "", &out, &err);
    std::unique_ptr<k2_error, decltype(&k2_error_free)> e(err, &k2_error_free);
    if (st != K2_STATUS_INVALID_ARGUMENT || out != nullptr || std::strcmp(k2_error_code(e.get()), "invalid_argument") != 0)
        return 1;
    std::printf("1 passed, 0 failed\n");
    return 0;
}
