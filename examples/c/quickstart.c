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

/* Extracts the last "key":"value" of compact JSON (objects have sorted keys, so a
 * top-level "status" comes after the nested ones). A real program would use a
 * JSON library. */
static void json_get(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *p = NULL;
    for (const char *q = strstr(json, pattern); q; q = strstr(q + 1, pattern))
        p = q;
    out[0] = 0;
    if (!p)
        return;
    p += strlen(pattern);
    size_t n = strcspn(p, "\"");
    if (n >= size)
        n = size - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

int main(void) {
    printf("kopokopo %s\n", k2_version());

    k2_config config = {0};
    config.client_id = env("K2_CLIENT_ID", "k2-mock-client-id");
    config.client_secret = env("K2_CLIENT_SECRET", "k2-mock-client-secret");
    config.api_key = env("K2_API_KEY", "k2-mock-api-key");
    config.base_url = env("K2_BASE_URL", NULL); /* NULL: the sandbox */
    config.timeout_ms = 20000;

    k2_client *client = NULL;
    k2_error *err = NULL;
    k2_status st = k2_client_new(&config, &client, &err);
    if (st != K2_STATUS_OK)
        return fail("k2_client_new", st, err);

    /* 1. A token (the client also fetches and caches one by itself). */
    char *token_json = NULL;
    st = k2_request_access_token(client, &token_json, &err);
    if (st != K2_STATUS_OK) {
        k2_client_free(client);
        return fail("k2_request_access_token", st, err);
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
    st = k2_create_incoming_payment(client, params, &created, &err);
    if (st != K2_STATUS_OK) {
        k2_client_free(client);
        return fail("k2_create_incoming_payment", st, err);
    }
    char location[512];
    json_get(created, "location", location, sizeof location);
    printf("STK push started: %s\n", location);
    k2_string_free(created);

    /* 3. Status, until it is no longer Pending. */
    char status[32] = "Pending";
    for (int i = 0; i < 20 && strcmp(status, "Pending") == 0; i++) {
        char *payment = NULL;
        st = k2_get_incoming_payment(client, location, &payment, &err);
        if (st != K2_STATUS_OK) {
            k2_client_free(client);
            return fail("k2_get_incoming_payment", st, err);
        }
        json_get(payment, "status", status, sizeof status);
        k2_string_free(payment);
        if (strcmp(status, "Pending") == 0) {
            struct timespec ts = {0, 250 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    printf("payment status: %s\n", status);

    /* Errors carry a stable code and the offending field. */
    st = k2_create_incoming_payment(client, "{\"till_number\": \"K000000\"}", &created, &err);
    printf("invalid request -> %s, field %s\n", k2_status_name(st), k2_error_field(err) ? k2_error_field(err) : "-");
    k2_error_free(err);

    k2_client_free(client);
    return strcmp(status, "Success") == 0 ? 0 : 1;
}
