/*
 * Quickstart: token, STK push (incoming payment), status.
 *
 * Configuration from the environment (defaults are those of `k2 mock`):
 *   K2_BASE_URL       e.g. http://127.0.0.1:PORT (required; the sandbox is https://sandbox.kopokopo.com)
 *   K2_CLIENT_ID      default k2-mock-client-id
 *   K2_CLIENT_SECRET  default k2-mock-client-secret
 *   K2_API_KEY        default k2-mock-api-key
 *   K2_CALLBACK_URL   where results are POSTed; default http://127.0.0.1:8080/k2/results
 *                     (use your own https:// endpoint in production)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kopokopo.h>

static const char *env(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Prints an error and frees it. */
static int fail(const char *what, k2_status status, k2_error *err) {
    fprintf(stderr, "%s failed: %s (code %s", what, k2_status_name(status), err ? k2_error_code(err) : "-");
    if (k2_error_field(err))
        fprintf(stderr, ", field %s", k2_error_field(err));
    if (k2_error_http_status(err))
        fprintf(stderr, ", HTTP %u", k2_error_http_status(err));
    fprintf(stderr, "): %s\n", err ? k2_error_message(err) : "");
    k2_error_free(err);
    return 1;
}

/* Copies field `path` of a result (k2_json_get: `status`, `event.resource.amount`, ...) into
 * `out`; "" when the field is absent or null. Amounts are strings of their exact digits. */
static void json_get(const char *json, const char *path, char *out, size_t size) {
    char *value = NULL;
    out[0] = 0;
    if (k2_json_get(json, path, &value, NULL) == K2_STATUS_OK && value)
        snprintf(out, size, "%s", value);
    k2_string_free(value);
}

int main(void) {
    printf("kopokopo %s\n", k2_version());

    /* The configuration: a builder, so that options can be added without
     * breaking the ABI. Options not set keep their defaults. */
    k2_config_builder *builder = NULL;
    k2_config *config = NULL;
    k2_error *err = NULL;
    k2_status st = k2_config_builder_new(env("K2_CLIENT_ID", "k2-mock-client-id"),
                                         env("K2_CLIENT_SECRET", "k2-mock-client-secret"), &builder, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_api_key(builder, env("K2_API_KEY", "k2-mock-api-key"), &err);
    if (st == K2_STATUS_OK && getenv("K2_BASE_URL")) /* not set: the sandbox */
        st = k2_config_builder_set_base_url(builder, getenv("K2_BASE_URL"), &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_timeout_ms(builder, 20000, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_connect_timeout_ms(builder, 5000, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_max_retries(builder, 3, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_user_agent_suffix(builder, "quickstart/1.0", &err);
    if (st != K2_STATUS_OK) {
        k2_config_builder_free(builder);
        return fail("k2_config_builder", st, err);
    }
    st = k2_config_builder_build(builder, &config, &err); /* consumes the builder */
    if (st != K2_STATUS_OK)
        return fail("k2_config_builder_build", st, err);

    k2_client *client = NULL;
    st = k2_client_new(config, &client, &err);
    k2_config_free(config); /* the client keeps its own copy */
    if (st != K2_STATUS_OK)
        return fail("k2_client_new", st, err);

    /* 1. A token (the client also fetches and caches one by itself). */
    char *token_json = NULL;
    st = k2_tokens_request(client, &token_json, &err);
    if (st != K2_STATUS_OK) {
        k2_client_free(client);
        return fail("k2_tokens_request", st, err);
    }
    char expires[32];
    json_get(token_json, "token_type", expires, sizeof expires);
    printf("token: type %s (value not printed: it is a secret)\n", expires);
    k2_string_free(token_json);

    /* 2. STK push. */
    char params[1024];
    snprintf(params, sizeof params,
             "{\"till_number\": \"K000000\", \"phone_number\": \"0712345678\", \"amount\": \"150.00\","
             " \"first_name\": \"Jane\", \"callback_url\": \"%s\", \"metadata\": {\"order\": \"1234\"}}",
             env("K2_CALLBACK_URL", "http://127.0.0.1:8080/k2/results"));
    char *created = NULL;
    st = k2_incoming_payments_create(client, params, &created, &err);
    if (st != K2_STATUS_OK) {
        k2_client_free(client);
        return fail("k2_incoming_payments_create", st, err);
    }
    char location[512];
    json_get(created, "location", location, sizeof location);
    printf("STK push started: %s\n", location);
    k2_string_free(created);

    /* 3. Status, until it is no longer Pending. */
    char status[32] = "Pending";
    for (int i = 0; i < 20 && strcmp(status, "Pending") == 0; i++) {
        char *payment = NULL;
        st = k2_incoming_payments_status(client, location, &payment, &err);
        if (st != K2_STATUS_OK) {
            k2_client_free(client);
            return fail("k2_incoming_payments_status", st, err);
        }
        json_get(payment, "status", status, sizeof status);
        if (strcmp(status, "Success") == 0) {
            /* The payer and the amount, exactly ("150": a string of the exact digits, never a double). */
            char payer[128], amount[64];
            json_get(payment, "event.resource.sender_first_name", payer, sizeof payer);
            json_get(payment, "event.resource.amount", amount, sizeof amount);
            printf("paid by %s: %s KES\n", payer, amount);
        }
        k2_string_free(payment);
        if (strcmp(status, "Pending") == 0) {
            struct timespec ts = {0, 250 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    printf("payment status: %s\n", status);

    /* Errors carry a stable code and the offending field. */
    st = k2_incoming_payments_create(client, "{\"till_number\": \"K000000\"}", &created, &err);
    printf("invalid request -> %s, field %s\n", k2_status_name(st), k2_error_field(err) ? k2_error_field(err) : "-");
    k2_error_free(err);

    k2_client_free(client);
    return strcmp(status, "Success") == 0 ? 0 : 1;
}
