/* Compiled (not run) by CTest: the deprecated aliases of earlier releases are
 * flagged by the compiler (test `deprecated_warns`, which must fail with
 * -Werror=deprecated-declarations) unless K2_NO_DEPRECATION_WARNINGS is defined
 * (test `deprecated_silenced`, which must compile). */
#include <kopokopo.h>

int use_deprecated(const k2_client *client, char **out, k2_error **err);

int use_deprecated(const k2_client *client, char **out, k2_error **err) {
    return (int)k2_get_send_money(client, "id", out, err);
}
