// The C header used from C++: compiles cleanly (-Werror, deprecations included) and links.
#include <cstdio>
#include <cstring>
#include <memory>

#include <kopokopo.h>

int main() {
    const char *v = k2_version();
    if (v == nullptr || std::strlen(v) == 0)
        return 1;
    k2_config_builder *builder = nullptr;
    if (k2_config_builder_new("id", "secret", &builder, nullptr) != K2_STATUS_OK)
        return 1;
    if (k2_config_builder_set_connect_timeout_ms(builder, 5000, nullptr) != K2_STATUS_OK)
        return 1;
    k2_config *config = nullptr;
    if (k2_config_builder_build(builder, &config, nullptr) != K2_STATUS_OK)
        return 1;
    std::unique_ptr<k2_config, decltype(&k2_config_free)> cfg(config, &k2_config_free);
    k2_client *raw = nullptr;
    if (k2_client_new(cfg.get(), &raw, nullptr) != K2_STATUS_OK)
        return 1;
    std::unique_ptr<k2_client, decltype(&k2_client_free)> client(raw, &k2_client_free);
    k2_error *err = nullptr;
    char *out = nullptr;
    k2_status st = k2_reversals_status(client.get(), "", &out, &err);
    std::unique_ptr<k2_error, decltype(&k2_error_free)> e(err, &k2_error_free);
    if (st != K2_STATUS_INVALID_ARGUMENT || out != nullptr ||
        std::strcmp(k2_error_code(e.get()), "invalid_argument") != 0)
        return 1;
    std::printf("1 passed, 0 failed\n");
    return 0;
}
