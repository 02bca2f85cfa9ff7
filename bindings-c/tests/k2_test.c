/*
 * Tests of the kopokopo C API.
 *
 *   k2_test unit              NULL / bad-input cases of every function, the
 *                             shared signature and error vectors, payload fixtures
 *   k2_test mock URL_FILE     every operation against `k2 mock` (its base URL
 *                             is the first line of URL_FILE), error statuses,
 *                             a real signed callback, a client shared by threads
 *
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kopokopo.h"
#include "k2_vectors.h"

static int passed, failed;

#define CHECK(cond, ...)                                                             \
    do {                                                                             \
        if (cond) {                                                                  \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);          \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
        }                                                                            \
    } while (0)

#define NOT_UTF8 "\xff\xfe"
#define MOCK_ID "k2-mock-client-id"
#define MOCK_SECRET "k2-mock-client-secret"
#define MOCK_KEY "k2-mock-api-key"

static const char *str_or(const char *s) { return s ? s : "(null)"; }

/* Checks a failed call: status, error code, optional field; frees the error. */
static void expect_err(const char *what, k2_status st, k2_error *err, k2_status want, const char *code,
                       const char *field) {
    CHECK(st == want, "%s: status %s, want %s (%s)", what, k2_status_name(st), k2_status_name(want),
          str_or(k2_error_message(err)));
    CHECK(err != NULL, "%s: no error object", what);
    if (err) {
        CHECK(k2_error_status(err) == want, "%s: k2_error_status", what);
        CHECK(k2_error_message(err) && *k2_error_message(err), "%s: empty message", what);
        if (code)
            CHECK(strcmp(str_or(k2_error_code(err)), code) == 0, "%s: code %s, want %s", what,
                  str_or(k2_error_code(err)), code);
        if (field)
            CHECK(k2_error_field(err) && strcmp(k2_error_field(err), field) == 0, "%s: field %s, want %s", what,
                  str_or(k2_error_field(err)), field);
    }
    k2_error_free(err);
}

/* Naive lookup of "key":"value" in compact JSON; returns a malloc'd copy or NULL. */
static char *json_str(const char *json, const char *key) {
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = json ? strstr(json, pat) : NULL;
    if (!p)
        return NULL;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    if (!e)
        return NULL;
    char *out = malloc((size_t)(e - p) + 1);
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = 0;
    return out;
}

static bool contains(const char *hay, const char *needle) { return hay && strstr(hay, needle) != NULL; }

/* ------------------------------------------------------------------ wrappers */

typedef k2_status (*fn_none)(const k2_client *, char **, k2_error **);
typedef k2_status (*fn_arg)(const k2_client *, const char *, char **, k2_error **);

enum kind { NONE, JSON, ID, TOKEN };

struct wrapper {
    const char *operation;
    enum kind kind;
    void (*fn)(void);
};

#define W(op, kind) {#op, kind, (void (*)(void))k2_##op}
static const struct wrapper WRAPPERS[] = {
    W(request_access_token, NONE),
    W(revoke_access_token, TOKEN),
    W(introspect_access_token, TOKEN),
    W(token_info, NONE),
    W(create_webhook_subscription, JSON),
    W(create_incoming_payment, JSON),
    W(get_incoming_payment, ID),
    W(create_merchant_wallet, JSON),
    W(create_merchant_bank_account, JSON),
    W(create_external_recipient, JSON),
    W(send_money, JSON),
    W(get_send_money, ID),
    W(create_polling, JSON),
    W(get_polling, ID),
    W(create_transaction_sms_notification, JSON),
    W(get_transaction_sms_notification, ID),
    W(create_reversal, JSON),
    W(get_reversal, ID),
    W(create_payment_link, JSON),
    W(get_payment_link, ID),
    W(cancel_payment_link, ID),
};
#define WRAPPER_COUNT (sizeof WRAPPERS / sizeof WRAPPERS[0])

static k2_status call_wrapper(const struct wrapper *w, const k2_client *c, const char *arg, char **out,
                              k2_error **err) {
    if (w->kind == NONE)
        return ((fn_none)w->fn)(c, out, err);
    return ((fn_arg)w->fn)(c, arg, out, err);
}

static k2_client *new_client(const char *base_url, const char *secret, uint64_t timeout_ms) {
    k2_config cfg = {0};
    cfg.client_id = MOCK_ID;
    cfg.client_secret = secret;
    cfg.api_key = MOCK_KEY;
    cfg.base_url = base_url;
    cfg.timeout_ms = timeout_ms;
    k2_client *c = NULL;
    k2_error *err = NULL;
    k2_status st = k2_client_new(&cfg, &c, &err);
    CHECK(st == K2_STATUS_OK && c != NULL && err == NULL, "k2_client_new(%s): %s", base_url,
          str_or(k2_error_message(err)));
    k2_error_free(err);
    return c;
}

/* ===================================================================== unit */

static void test_static_functions(void) {
    const char *v = k2_version();
    CHECK(v && *v >= '0' && *v <= '9' && strchr(v, '.'), "k2_version = %s", str_or(v));

    CHECK(strcmp(k2_status_name(K2_STATUS_OK), "K2_STATUS_OK") == 0, "status name");
    CHECK(strcmp(k2_status_name(K2_STATUS_PANIC), "K2_STATUS_PANIC") == 0, "status name");
    CHECK(strcmp(k2_status_name(K2_STATUS_INTERNAL), "K2_STATUS_INTERNAL") == 0, "status name");
    /* Values never change; new statuses are appended. */
    CHECK(K2_STATUS_PANIC == 9 && K2_STATUS_INTERNAL == 10, "status values");
    CHECK(strcmp(k2_status_name(K2_STATUS_SIGNATURE_INVALID), "K2_STATUS_SIGNATURE_INVALID") == 0, "status name");
    CHECK(strcmp(k2_status_name(-1), "K2_STATUS_UNKNOWN") == 0, "unknown status name");
    CHECK(strcmp(k2_status_name(1000), "K2_STATUS_UNKNOWN") == 0, "unknown status name");

    /* Every operation of the core has a wrapper, in the same order. */
    CHECK(k2_operation_count() == WRAPPER_COUNT, "operation count %zu, wrappers %zu", k2_operation_count(),
          (size_t)WRAPPER_COUNT);
    for (size_t i = 0; i < k2_operation_count() && i < WRAPPER_COUNT; i++)
        CHECK(k2_operation_name(i) && strcmp(k2_operation_name(i), WRAPPERS[i].operation) == 0,
              "operation %zu is %s, wrapper %s", i, str_or(k2_operation_name(i)), WRAPPERS[i].operation);
    CHECK(k2_operation_name(k2_operation_count()) == NULL, "out of range operation name");
    CHECK(k2_operation_name((size_t)-1) == NULL, "out of range operation name");

    /* Every _free accepts NULL; accessors of a NULL error are neutral. */
    k2_string_free(NULL);
    k2_error_free(NULL);
    k2_client_free(NULL);
    CHECK(k2_error_message(NULL) == NULL, "message of NULL");
    CHECK(k2_error_code(NULL) == NULL, "code of NULL");
    CHECK(k2_error_field(NULL) == NULL, "field of NULL");
    CHECK(k2_error_http_status(NULL) == 0, "http status of NULL");
    CHECK(k2_error_retry_after_ms(NULL) == 0, "retry after of NULL");
    CHECK(k2_error_status(NULL) == K2_STATUS_OK, "status of NULL");
    CHECK(k2_error_api_code(NULL) == NULL, "api code of NULL");
    CHECK(k2_error_api_message_count(NULL) == 0, "api message count of NULL");
    CHECK(k2_error_api_message(NULL, 0) == NULL, "api message of NULL");
}

static void test_client_new(void) {
    k2_client *c = (k2_client *)0x1; /* must be overwritten with NULL on failure */
    k2_error *err = (k2_error *)0x1;
    k2_status st = k2_client_new(NULL, &c, &err);
    CHECK(c == NULL, "client_out cleared");
    expect_err("NULL config", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "config");

    k2_config cfg = {0};
    cfg.client_id = "id";
    cfg.client_secret = "super-secret-value";
    CHECK(k2_client_new(&cfg, NULL, NULL) == K2_STATUS_INVALID_ARGUMENT, "NULL client_out");
    err = NULL;
    st = k2_client_new(&cfg, NULL, &err);
    expect_err("NULL client_out", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "client_out");

    struct {
        const char *name, *id, *secret, *key, *url;
        uint64_t timeout;
        const char *proxy, *field;
    } bad[] = {
        {"NULL client_id", NULL, "s", NULL, NULL, 0, NULL, "client_id"},
        {"NULL client_secret", "id", NULL, NULL, NULL, 0, NULL, "client_secret"},
        {"empty client_id", "", "s", NULL, NULL, 0, NULL, "client_id"},
        {"blank client_secret", "id", "  ", NULL, NULL, 0, NULL, "client_secret"},
        {"non-UTF-8 client_id", NOT_UTF8, "s", NULL, NULL, 0, NULL, "client_id"},
        {"non-UTF-8 client_secret", "id", "secret" NOT_UTF8, NULL, NULL, 0, NULL, "client_secret"},
        {"non-UTF-8 api_key", "id", "s", NOT_UTF8, NULL, 0, NULL, "api_key"},
        {"non-UTF-8 base_url", "id", "s", NULL, NOT_UTF8, 0, NULL, "base_url"},
        {"insecure base_url", "id", "s", NULL, "http://example.com", 0, NULL, "base_url"},
        {"relative base_url", "id", "s", NULL, "sandbox.kopokopo.com", 0, NULL, "base_url"},
        {"base_url with query", "id", "s", NULL, "https://x.example/?a=1", 0, NULL, "base_url"},
        {"timeout over one hour", "id", "s", NULL, NULL, 3600001, NULL, "timeout"},
        {"timeout of two hours", "id", "s", NULL, NULL, 7200000, NULL, "timeout"},
        {"huge timeout", "id", "s", NULL, NULL, UINT64_MAX, NULL, "timeout"},
        {"proxy with another scheme", "id", "s", NULL, NULL, 0, "ftp://proxy.example:21", "proxy"},
        {"proxy not a URL", "id", "s", NULL, NULL, 0, "proxy.example:3128", "proxy"},
        {"proxy without a host", "id", "s", NULL, NULL, 0, "http://", "proxy"},
        {"proxy with a space", "id", "s", NULL, NULL, 0, "http://proxy example:3128", "proxy"},
        {"bad proxy with credentials", "id", "s", NULL, NULL, 0, "socks9://user:super-secret-pw@proxy.example", "proxy"},
        {"non-UTF-8 proxy", "id", "s", NULL, NULL, 0, "http://" NOT_UTF8, "proxy"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        k2_config b = {bad[i].id, bad[i].secret, bad[i].key, bad[i].url, bad[i].timeout, bad[i].proxy};
        c = (k2_client *)0x1;
        err = NULL;
        st = k2_client_new(&b, &c, &err);
        CHECK(c == NULL, "%s: client_out cleared", bad[i].name);
        CHECK(!contains(k2_error_message(err), "super-secret"), "secret in message");
        expect_err(bad[i].name, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", bad[i].field);
    }

    /* Defaults (sandbox URL), and without an error out-parameter. */
    c = NULL;
    CHECK(k2_client_new(&cfg, &c, NULL) == K2_STATUS_OK && c, "default client");
    k2_client_free(c);
    cfg.api_key = "";
    cfg.base_url = "https://sandbox.kopokopo.com/";
    cfg.timeout_ms = 1;
    c = NULL;
    CHECK(k2_client_new(&cfg, &c, NULL) == K2_STATUS_OK && c, "explicit client");
    k2_client_free(c);

    /* Every proxy option, and the longest timeout (one hour). */
    const char *proxies[] = {NULL, "env", "none", "http://proxy.example:3128", "https://user:pw@proxy.example"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++) {
        cfg.proxy = proxies[i];
        cfg.timeout_ms = 3600000;
        c = NULL;
        err = NULL;
        st = k2_client_new(&cfg, &c, &err);
        CHECK(st == K2_STATUS_OK && c && !err, "proxy %s: %s %s", str_or(proxies[i]), k2_status_name(st),
              str_or(k2_error_message(err)));
        k2_error_free(err);
        k2_client_free(c);
    }
}

/* A panic inside the library (forced by the test hook) is K2_STATUS_INTERNAL with
 * code "internal", like the core's Internal kind in every binding; the process
 * and the library keep working afterwards. */
static void test_internal(void) {
    for (int i = 0; i < 3; i++) {
        k2_error *err = (k2_error *)0x1; /* must be overwritten */
        k2_status st = k2_test_force_panic(&err);
        CHECK(contains(k2_error_message(err), "forced panic"), "panic message: %s", str_or(k2_error_message(err)));
        CHECK(k2_error_field(err) == NULL && k2_error_http_status(err) == 0, "panic: no field, no HTTP status");
        expect_err("forced panic", st, err, K2_STATUS_INTERNAL, "internal", NULL);
    }
    CHECK(k2_test_force_panic(NULL) == K2_STATUS_INTERNAL, "forced panic without an error out-parameter");
    CHECK(strcmp(k2_status_name(K2_STATUS_INTERNAL), "K2_STATUS_INTERNAL") == 0, "status name");

    /* Still working: a signature, a client, a refused call. */
    const uint8_t body[] = "{}";
    char *hex = NULL;
    CHECK(k2_sign(body, 2, "key", &hex) == K2_STATUS_OK && hex && strlen(hex) == 64, "sign after a panic");
    bool valid = false;
    CHECK(k2_verify_signature(body, 2, hex, "key", &valid) == K2_STATUS_OK && valid, "verify after a panic");
    k2_string_free(hex);
    k2_client *c = new_client("http://127.0.0.1:9", MOCK_SECRET, 2000);
    if (c) {
        char *out = NULL;
        k2_error *err = NULL;
        k2_status st = k2_get_reversal(c, "", &out, &err);
        expect_err("call after a panic", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", NULL);
        k2_client_free(c);
    }
}

/* Bad input for k2_client_call and every wrapper: none of it reaches the network
 * (the client points at a port where nothing listens). */
static void test_call_bad_input(void) {
    k2_client *c = new_client("http://127.0.0.1:9", MOCK_SECRET, 2000);
    if (!c)
        return;
    char *out = (char *)0x1;
    k2_error *err = NULL;
    k2_status st;

    st = k2_client_call(NULL, "token_info", "{}", &out, &err);
    CHECK(out == NULL, "result cleared");
    expect_err("call NULL client", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client");
    err = NULL;
    st = k2_client_call(c, NULL, "{}", &out, &err);
    expect_err("call NULL operation", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "operation");
    err = NULL;
    st = k2_client_call(c, "token_info", NULL, &out, &err);
    expect_err("call NULL params", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "params_json");
    err = NULL;
    st = k2_client_call(c, "token_info", "{}", NULL, &err);
    expect_err("call NULL result", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "result_json");
    err = NULL;
    st = k2_client_call(c, "token" NOT_UTF8, "{}", &out, &err);
    expect_err("call non-UTF-8 operation", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "operation");
    err = NULL;
    st = k2_client_call(c, "get_reversal", "{\"id\":\"" NOT_UTF8 "\"}", &out, &err);
    expect_err("call non-UTF-8 params", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "params_json");
    err = NULL;
    st = k2_client_call(c, "no_such_operation", "{}", &out, &err);
    expect_err("unknown operation", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "operation");
    err = NULL;
    st = k2_client_call(c, "create_incoming_payment", "{not json", &out, &err);
    expect_err("params not JSON", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "params");
    err = NULL;
    st = k2_client_call(c, "create_incoming_payment", "[1,2]", &out, &err);
    expect_err("params not an object", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "params");
    err = NULL;
    st = k2_client_call(c, "get_incoming_payment", "{\"id\": 5}", &out, &err);
    expect_err("id not a string", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "id");
    CHECK(k2_client_call(c, "get_incoming_payment", "{}", &out, NULL) == K2_STATUS_INVALID_ARGUMENT,
          "no error out-parameter");
    CHECK(out == NULL, "result stays NULL");

    /* Validation of every operation with parameters, through the generic call. */
    for (size_t i = 0; i < k2_operation_count(); i++) {
        const char *op = k2_operation_name(i);
        if (WRAPPERS[i].kind == NONE)
            continue;
        err = NULL;
        st = k2_client_call(c, op, "{}", &out, &err);
        CHECK(st == K2_STATUS_INVALID_ARGUMENT && k2_error_field(err) != NULL, "%s with {}: %s", op,
              k2_status_name(st));
        k2_error_free(err);
    }

    /* Every wrapper: NULL client, NULL out, NULL / non-UTF-8 / invalid argument. */
    for (size_t i = 0; i < WRAPPER_COUNT; i++) {
        const struct wrapper *w = &WRAPPERS[i];
        const char *good = w->kind == JSON ? "{}" : "abc";
        err = NULL;
        st = call_wrapper(w, NULL, good, &out, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client");
        err = NULL;
        st = call_wrapper(w, c, good, NULL, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "result_json");
        if (w->kind == NONE)
            continue;
        const char *argname = w->kind == JSON ? "params_json" : w->kind == ID ? "id" : "token";
        err = NULL;
        out = (char *)0x1;
        st = call_wrapper(w, c, NULL, &out, &err);
        CHECK(out == NULL, "%s: result cleared", w->operation);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", argname);
        err = NULL;
        st = call_wrapper(w, c, w->kind == JSON ? "{\"x\":\"" NOT_UTF8 "\"}" : NOT_UTF8, &out, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", argname);
        err = NULL;
        st = call_wrapper(w, c, w->kind == JSON ? "{}" : "", &out, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", NULL);
        if (w->kind == JSON) {
            err = NULL;
            st = call_wrapper(w, c, "{\"no_such_field\": 1, ", &out, &err);
            expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "params");
        }
    }
    k2_client_free(c);
}

static void test_error_vectors(void) {
    k2_client *c = new_client("http://127.0.0.1:9", MOCK_SECRET, 2000);
    if (!c)
        return;
    /* Validation errors: refused before any I/O, naming the field. */
    for (size_t i = 0; i < K2V_VALIDATION_COUNT; i++) {
        const k2v_validation *v = &K2V_VALIDATIONS[i];
        char *out = NULL;
        k2_error *err = NULL;
        k2_status st = k2_client_call(c, v->operation, v->params_json, &out, &err);
        CHECK(st == K2_STATUS_INVALID_ARGUMENT && out == NULL, "validation vector %s: %s", v->name,
              k2_status_name(st));
        CHECK(strcmp(str_or(k2_error_code(err)), v->code) == 0, "validation vector %s: code %s", v->name,
              str_or(k2_error_code(err)));
        if (v->field)
            CHECK(strcmp(str_or(k2_error_field(err)), v->field) == 0, "validation vector %s: field %s, want %s",
                  v->name, str_or(k2_error_field(err)), v->field);
        k2_error_free(err);
        k2_string_free(out);
    }
    k2_client_free(c);

    /* Response errors: the same mapping as a live call, without I/O. */
    for (size_t i = 0; i < K2V_RESPONSE_COUNT; i++) {
        const k2v_response *v = &K2V_RESPONSES[i];
        char *out = (char *)0x1;
        k2_error *err = NULL;
        k2_status st = k2_parse_response(v->operation, v->params_json, (uint16_t)v->status, v->headers_json, v->body,
                                         v->body_len, &out, &err);
        CHECK(st != K2_STATUS_OK && out == NULL && err, "response vector %s: %s", v->name, k2_status_name(st));
        CHECK(strcmp(str_or(k2_error_code(err)), v->code) == 0, "response vector %s: code %s, want %s", v->name,
              str_or(k2_error_code(err)), v->code);
        if (v->http_status)
            CHECK(k2_error_http_status(err) == v->http_status, "response vector %s: http %u", v->name,
                  k2_error_http_status(err));
        if (v->error_code)
            CHECK(strcmp(str_or(k2_error_api_code(err)), v->error_code) == 0, "response vector %s: api code %s",
                  v->name, str_or(k2_error_api_code(err)));
        if (v->error_message)
            CHECK(contains(k2_error_message(err), v->error_message), "response vector %s: message %s", v->name,
                  str_or(k2_error_message(err)));
        /* The server's messages, joined with "; ", are the API error's error_message. */
        size_t n = k2_error_api_message_count(err);
        if (strcmp(v->code, "api_error") != 0)
            CHECK(n == 0, "response vector %s: %zu api messages on a %s", v->name, n, v->code);
        else if (n > 0 && v->error_message) {
            char joined[2048] = {0};
            for (size_t m = 0; m < n; m++) {
                const char *msg = k2_error_api_message(err, m);
                CHECK(msg != NULL, "response vector %s: api message %zu", v->name, m);
                if (m)
                    strncat(joined, "; ", sizeof joined - strlen(joined) - 1);
                strncat(joined, str_or(msg), sizeof joined - strlen(joined) - 1);
            }
            CHECK(strcmp(joined, v->error_message) == 0, "response vector %s: api messages \"%s\", want \"%s\"",
                  v->name, joined, v->error_message);
        }
        if (v->retry_after_secs >= 0)
            CHECK(k2_error_retry_after_ms(err) == (uint64_t)v->retry_after_secs * 1000, "response vector %s: %llu",
                  v->name, (unsigned long long)k2_error_retry_after_ms(err));
        k2_error_free(err);
    }
    printf("error vectors: %d validation, %d response (%d of other kinds skipped)\n", K2V_VALIDATION_COUNT,
           K2V_RESPONSE_COUNT, K2V_ERROR_SKIPPED);

    /* k2_parse_response: success and bad input. */
    char *out = NULL;
    k2_error *err = NULL;
    const char *tok = "{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"created_at\":1}";
    k2_status st = k2_parse_response("request_access_token", "", 200, "{}", (const uint8_t *)tok, strlen(tok), &out,
                                     &err);
    CHECK(st == K2_STATUS_OK && contains(out, "\"access_token\":\"abc\""), "parse_response ok: %s", str_or(out));
    k2_string_free(out);
    k2_error_free(err);
    st = k2_parse_response("create_reversal", "{\"transaction_reference\":\"x\",\"reason\":\"y\","
                           "\"callback_url\":\"https://a.example/cb\"}", 201,
                           "{\"Location\":\"https://sandbox.kopokopo.com/api/v2/reversals/42\"}", NULL, 0, &out, NULL);
    CHECK(st == K2_STATUS_OK && contains(out, "\"id\":\"42\""), "parse_response created: %s", str_or(out));
    k2_string_free(out);
    struct {
        const char *op, *params, *headers;
        const uint8_t *body;
        size_t len;
        int null_out;
        const char *field;
    } bad[] = {
        {NULL, "{}", "{}", NULL, 0, 0, "operation"},
        {"token_info", NULL, "{}", NULL, 0, 0, "params_json"},
        {"token_info", "{}", NULL, NULL, 0, 0, "headers_json"},
        {"token_info", "{}", "{}", NULL, 4, 0, "body"},
        {"token_info", "{}", "{}", NULL, 0, 1, "result_json"},
        {"token_info", "[]", "{}", NULL, 0, 0, "params_json"},
        {"token_info", "{}", "{\"a\":1}", NULL, 0, 0, "headers_json"},
        {"token_info", "{}", "nope", NULL, 0, 0, "headers_json"},
        {NOT_UTF8, "{}", "{}", NULL, 0, 0, "operation"},
        {"token_info", "{}", NOT_UTF8, NULL, 0, 0, "headers_json"},
        {"no_such_operation", "{}", "{}", NULL, 0, 0, "operation"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        st = k2_parse_response(bad[i].op, bad[i].params, 200, bad[i].headers, bad[i].body, bad[i].len,
                               bad[i].null_out ? NULL : &out, &err);
        expect_err("parse_response bad input", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", bad[i].field);
    }
}

static void test_signatures(void) {
    /* The shared vectors. */
    for (size_t i = 0; i < K2V_SIGNATURE_COUNT; i++) {
        const k2v_signature *v = &K2V_SIGNATURES[i];
        bool valid = !v->valid;
        k2_status st = k2_verify_signature(v->body, v->body_len, v->signature, v->api_key, &valid);
        if (st == K2_STATUS_OK)
            CHECK(valid == (bool)v->valid, "signature vector %zu (%s): valid=%d", i, v->name, valid);
        else /* only an unusable key may refuse the check itself, and then it is not valid */
            CHECK(!v->valid && !valid && st == K2_STATUS_INVALID_ARGUMENT, "signature vector %zu (%s): %s", i,
                  v->name, k2_status_name(st));
        if (v->valid) {
            char *hex = NULL;
            CHECK(k2_sign(v->body, v->body_len, v->api_key, &hex) == K2_STATUS_OK && hex, "sign vector %zu", i);
            char want[129] = {0};
            sscanf(v->signature, " %128s", want); /* vectors may pad or upper-case it */
            CHECK(hex && strcasecmp(hex, want) == 0, "sign vector %zu (%s): %s", i, v->name, str_or(hex));
            k2_string_free(hex);
        }
    }
    printf("signature vectors: %d\n", K2V_SIGNATURE_COUNT);

    /* Round trip, case, tampering, missing. */
    const unsigned char body[] = "{\"topic\":\"x\"}";
    size_t len = sizeof body - 1;
    char *hex = (char *)0x1;
    CHECK(k2_sign(body, len, "key", &hex) == K2_STATUS_OK && hex && strlen(hex) == 64, "sign");
    bool valid = false;
    CHECK(k2_verify_signature(body, len, hex, "key", &valid) == K2_STATUS_OK && valid, "round trip");
    char upper[65];
    for (int i = 0; i < 64; i++)
        upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
    upper[64] = 0;
    CHECK(k2_verify_signature(body, len, upper, "key", &valid) == K2_STATUS_OK && valid, "uppercase");
    CHECK(k2_verify_signature(body, len - 1, hex, "key", &valid) == K2_STATUS_OK && !valid, "tampered");
    CHECK(k2_verify_signature(body, len, hex, "other", &valid) == K2_STATUS_OK && !valid, "other key");
    valid = true;
    CHECK(k2_verify_signature(body, len, NULL, "key", &valid) == K2_STATUS_OK && !valid, "missing signature");
    valid = true;
    CHECK(k2_verify_signature(body, len, "", "key", &valid) == K2_STATUS_OK && !valid, "empty signature");
    CHECK(k2_verify_signature(body, len, "zz", "key", &valid) == K2_STATUS_OK && !valid, "junk signature");

    /* Bad input. */
    valid = true;
    CHECK(k2_verify_signature(body, len, hex, NULL, &valid) == K2_STATUS_INVALID_ARGUMENT && !valid, "NULL key");
    valid = true;
    CHECK(k2_verify_signature(body, len, hex, "", &valid) == K2_STATUS_INVALID_ARGUMENT && !valid, "empty key");
    CHECK(k2_verify_signature(body, len, hex, "key", NULL) == K2_STATUS_INVALID_ARGUMENT, "NULL valid");
    CHECK(k2_verify_signature(NULL, 5, hex, "key", &valid) == K2_STATUS_INVALID_ARGUMENT, "NULL body with length");
    /* A signature that is not UTF-8 cannot match: simply not valid, not an argument error. */
    char not_utf8_sig[65];
    for (int i = 0; i < 32; i++) {
        not_utf8_sig[2 * i] = (char)0xff;
        not_utf8_sig[2 * i + 1] = (char)0xfe;
    }
    not_utf8_sig[64] = 0;
    char hex_then_not_utf8[66];
    snprintf(hex_then_not_utf8, sizeof hex_then_not_utf8, "%s\xff", hex);
    const char *undecodable[] = {NOT_UTF8, not_utf8_sig, hex_then_not_utf8};
    for (size_t i = 0; i < sizeof undecodable / sizeof undecodable[0]; i++) {
        valid = true;
        CHECK(k2_verify_signature(body, len, undecodable[i], "key", &valid) == K2_STATUS_OK && !valid,
              "non-UTF-8 sig %zu", i);
    }
    valid = true;
    CHECK(k2_verify_signature(body, len, not_utf8_sig, NULL, &valid) == K2_STATUS_INVALID_ARGUMENT && !valid,
          "non-UTF-8 sig, NULL key");
    CHECK(k2_verify_signature(body, len, hex, NOT_UTF8, &valid) == K2_STATUS_INVALID_ARGUMENT, "non-UTF-8 key");
    CHECK(k2_verify_signature(NULL, 0, hex, "key", &valid) == K2_STATUS_OK && !valid, "NULL empty body");
    k2_string_free(hex);

    hex = (char *)0x1;
    CHECK(k2_sign(NULL, 3, "key", &hex) == K2_STATUS_INVALID_ARGUMENT && hex == NULL, "sign NULL body");
    CHECK(k2_sign(body, len, NULL, &hex) == K2_STATUS_INVALID_ARGUMENT, "sign NULL key");
    CHECK(k2_sign(body, len, NOT_UTF8, &hex) == K2_STATUS_INVALID_ARGUMENT, "sign non-UTF-8 key");
    CHECK(k2_sign(body, len, "key", NULL) == K2_STATUS_INVALID_ARGUMENT, "sign NULL out");
    CHECK(k2_sign(NULL, 0, "key", &hex) == K2_STATUS_OK && hex && strlen(hex) == 64, "sign empty body");
    k2_string_free(hex);
}

typedef k2_status (*parse_fn)(const uint8_t *, size_t, const char *, const char *, char **, k2_error **);

static void test_payloads(void) {
    for (size_t i = 0; i < K2V_PAYLOAD_COUNT; i++) {
        const k2v_payload *p = &K2V_PAYLOADS[i];
        parse_fn parse = p->is_result ? k2_parse_result : k2_parse_webhook;
        parse_fn other = p->is_result ? k2_parse_webhook : k2_parse_result;
        char *sig = NULL, *json = NULL;
        k2_error *err = NULL;
        CHECK(k2_sign(p->body, p->body_len, "key", &sig) == K2_STATUS_OK, "sign %s", p->name);
        k2_status st = parse(p->body, p->body_len, sig, "key", &json, &err);
        CHECK(st == K2_STATUS_OK && json && err == NULL, "parse %s: %s %s", p->name, k2_status_name(st),
              str_or(k2_error_message(err)));
        if (p->is_result)
            CHECK(contains(json, "\"kind\":\"") && !contains(json, "\"kind\":\"unknown\""), "%s: %s", p->name,
                  str_or(json));
        else if (strstr(p->name, ".daraja."))
            CHECK(contains(json, "\"structure\":\"daraja\""), "%s: %s", p->name, str_or(json));
        else
            CHECK(contains(json, "\"structure\":\"k2\"") && !contains(json, "\"kind\":\"unknown\""), "%s: %s",
                  p->name, str_or(json));
        k2_string_free(json);
        k2_error_free(err);

        /* Wrong key: refused before parsing; the key never shows in the message. */
        err = NULL;
        json = (char *)0x1;
        st = parse(p->body, p->body_len, sig, "wrong-key-value", &json, &err);
        CHECK(json == NULL, "json_out cleared");
        CHECK(!contains(k2_error_message(err), "wrong-key-value") && !contains(k2_error_message(err), sig),
              "secret in message");
        expect_err(p->name, st, err, K2_STATUS_SIGNATURE_INVALID, "signature_invalid", NULL);
        err = NULL;
        st = parse(p->body, p->body_len, NULL, "key", &json, &err);
        expect_err(p->name, st, err, K2_STATUS_SIGNATURE_INVALID, "signature_invalid", NULL);
        /* A webhook is not a result (and vice versa), unless it parses as an unknown kind. */
        err = NULL;
        st = other(p->body, p->body_len, sig, "key", &json, &err);
        CHECK(st == K2_STATUS_OK || st == K2_STATUS_DECODE, "%s as the other kind: %s", p->name, k2_status_name(st));
        k2_string_free(json);
        json = NULL;
        k2_error_free(err);
        k2_string_free(sig);
    }
    printf("payload fixtures: %d\n", K2V_PAYLOAD_COUNT);

    /* Undecodable but correctly signed bodies; bad input. */
    const char *junk[] = {"", "[]", "null", "{", "\xff\xfe", "{\"data\":1}"};
    parse_fn fns[] = {k2_parse_webhook, k2_parse_result};
    for (size_t f = 0; f < 2; f++) {
        for (size_t j = 0; j < sizeof junk / sizeof junk[0]; j++) {
            const uint8_t *b = (const uint8_t *)junk[j];
            size_t n = strlen(junk[j]);
            char *sig = NULL, *json = NULL;
            k2_error *err = NULL;
            k2_sign(b, n, "key", &sig);
            k2_status st = fns[f](b, n, sig, "key", &json, &err);
            expect_err(f ? "result junk" : "webhook junk", st, err, K2_STATUS_DECODE, "decode_error", NULL);
            CHECK(json == NULL, "no json on failure");
            k2_string_free(sig);
        }
        const uint8_t body[] = "{}";
        char *json = NULL;
        k2_error *err = NULL;
        k2_status st = fns[f](NULL, 2, "00", "key", &json, &err);
        expect_err("parse NULL body", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "body");
        err = NULL;
        st = fns[f](body, 2, "00", NULL, &json, &err);
        expect_err("parse NULL key", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "api_key");
        err = NULL;
        st = fns[f](body, 2, "00", "", &json, &err);
        expect_err("parse empty key", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "api_key");
        /* A signature that is not UTF-8 is simply invalid (for "{}" and for a real payload). */
        char not_utf8_sig[65];
        for (int i = 0; i < 32; i++) {
            not_utf8_sig[2 * i] = (char)0xff;
            not_utf8_sig[2 * i + 1] = (char)0xfe;
        }
        not_utf8_sig[64] = 0;
        const char *undecodable[] = {NOT_UTF8, not_utf8_sig};
        for (size_t u = 0; u < 2; u++) {
            err = NULL;
            json = (char *)0x1;
            st = fns[f](body, 2, undecodable[u], "key", &json, &err);
            CHECK(json == NULL, "json_out cleared");
            expect_err("parse non-UTF-8 sig", st, err, K2_STATUS_SIGNATURE_INVALID, "signature_invalid", NULL);
        }
        if (K2V_PAYLOAD_COUNT > 0) {
            const k2v_payload *p = &K2V_PAYLOADS[0];
            for (size_t i = 0; i < K2V_PAYLOAD_COUNT; i++)
                if ((bool)K2V_PAYLOADS[i].is_result == (f == 1))
                    p = &K2V_PAYLOADS[i];
            err = NULL;
            st = fns[f](p->body, p->body_len, not_utf8_sig, "key", &json, &err);
            expect_err("parse payload, non-UTF-8 sig", st, err, K2_STATUS_SIGNATURE_INVALID, "signature_invalid",
                       NULL);
        }
        err = NULL;
        st = fns[f](body, 2, not_utf8_sig, NULL, &json, &err);
        expect_err("parse non-UTF-8 sig, NULL key", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument",
                   "api_key");
        err = NULL;
        st = fns[f](body, 2, "00", "key", NULL, &err);
        expect_err("parse NULL out", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "json_out");
        CHECK(fns[f](body, 2, "00", "key", &json, NULL) == K2_STATUS_SIGNATURE_INVALID, "no err out-param");
    }
}

/* ===================================================================== mock */

static char base_url[256];
static int mock_port;

/* Minimal HTTP/1.1 POST on loopback (admin endpoints of `k2 mock`). */
static int http_post(int port, const char *path, const char *body) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     path, port, strlen(body), body);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    char resp[512] = {0};
    ssize_t r = read(fd, resp, sizeof resp - 1);
    close(fd);
    int status = -1;
    if (r > 12)
        sscanf(resp, "HTTP/1.%*d %d", &status);
    return status;
}

static void fault(const char *json) {
    int st = http_post(mock_port, "/__admin/faults", json);
    CHECK(st == 200 || st == 204, "fault %s: HTTP %d", json, st);
}

/* A one-shot HTTP receiver for result callbacks. */
static int listener_open(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* Accepts one request within timeout_ms; returns its body (malloc'd) and the signature header. */
static char *receive_callback(int lfd, int timeout_ms, size_t *body_len, char *sig, size_t sig_size) {
    struct pollfd p = {lfd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1)
        return NULL;
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = calloc(cap + 1, 1);
    char *body = NULL;
    long content_length = -1;
    for (;;) {
        struct pollfd q = {fd, POLLIN, 0};
        if (poll(&q, 1, 5000) != 1)
            break;
        ssize_t r = read(fd, buf + n, cap - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        buf[n] = 0;
        char *end = strstr(buf, "\r\n\r\n");
        if (!end)
            continue;
        if (content_length < 0) {
            *end = 0;
            sig[0] = 0;
            for (char *line = strstr(buf, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
                char *h = line + 2;
                if (strncasecmp(h, "content-length:", 15) == 0)
                    content_length = strtol(h + 15, NULL, 10);
                else if (strncasecmp(h, "x-kopokopo-signature:", 21) == 0)
                    sscanf(h + 21, " %127[0-9a-fA-F]", sig);
                (void)sig_size;
            }
            *end = '\r';
        }
        size_t head = (size_t)(end - buf) + 4;
        if (content_length >= 0 && n - head >= (size_t)content_length) {
            body = malloc((size_t)content_length + 1);
            memcpy(body, buf + head, (size_t)content_length);
            body[content_length] = 0;
            *body_len = (size_t)content_length;
            break;
        }
    }
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (write(fd, ok, strlen(ok)) < 0) { /* ignore */
    }
    close(fd);
    free(buf);
    return body;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Calls a wrapper expecting success; returns the JSON (caller frees). */
static char *ok_call(const k2_client *c, const char *op, const char *arg) {
    const struct wrapper *w = NULL;
    for (size_t i = 0; i < WRAPPER_COUNT; i++)
        if (strcmp(WRAPPERS[i].operation, op) == 0)
            w = &WRAPPERS[i];
    char *out = NULL;
    k2_error *err = NULL;
    k2_status st = call_wrapper(w, c, arg, &out, &err);
    CHECK(st == K2_STATUS_OK && out && !err, "%s(%s): %s %s", op, str_or(arg), k2_status_name(st),
          str_or(k2_error_message(err)));
    k2_error_free(err);
    return out;
}

/* Polls a status wrapper until the JSON contains `want` (or timeout). */
static char *await_status(const k2_client *c, const char *op, const char *id, const char *want) {
    char *out = NULL;
    for (int i = 0; i < 50; i++) {
        k2_string_free(out);
        out = ok_call(c, op, id);
        if (!out || contains(out, want))
            break;
        sleep_ms(100);
    }
    CHECK(contains(out, want), "%s(%s) never reached %s: %s", op, id, want, str_or(out));
    return out;
}

/* create_X then get_X via the id and via the Location URL; returns the id. */
static char *create_and_get(const k2_client *c, const char *create, const char *params, const char *get,
                            const char *want) {
    char *created = ok_call(c, create, params);
    char *id = json_str(created, "id");
    char *loc = json_str(created, "location");
    CHECK(id && loc && strstr(loc, id), "%s: %s", create, str_or(created));
    if (get && id) {
        char *st = await_status(c, get, id, want);
        k2_string_free(st);
        st = ok_call(c, get, loc);
        k2_string_free(st);
        /* The same through the generic call. */
        char params2[512], *out = NULL;
        snprintf(params2, sizeof params2, "{\"id\":\"%s\"}", id);
        CHECK(k2_client_call(c, get, params2, &out, NULL) == K2_STATUS_OK && out, "call %s", get);
        k2_string_free(out);
    }
    k2_string_free(created);
    free(loc);
    return id;
}

struct thread_arg {
    const k2_client *client;
    const char *payment_id;
    int failures;
};

static void *thread_main(void *p) {
    struct thread_arg *a = p;
    for (int i = 0; i < 5; i++) {
        char *out = NULL;
        k2_error *err = NULL;
        if (k2_get_incoming_payment(a->client, a->payment_id, &out, &err) != K2_STATUS_OK || !out)
            a->failures++;
        k2_string_free(out);
        k2_error_free(err);
        if (k2_token_info(a->client, &out, &err) != K2_STATUS_OK)
            a->failures++;
        k2_string_free(out);
        k2_error_free(err);
    }
    return NULL;
}

static void test_mock(void) {
    k2_client *c = new_client(base_url, MOCK_SECRET, 10000);
    if (!c)
        return;
    int cb_port = 0;
    int lfd = listener_open(&cb_port);
    CHECK(lfd >= 0, "callback listener");
    char cb[128], params[2048];
    snprintf(cb, sizeof cb, "http://127.0.0.1:%d/k2/results", cb_port);

    /* Tokens. */
    char *tok_json = ok_call(c, "request_access_token", NULL);
    char *token = json_str(tok_json, "access_token");
    CHECK(token && *token, "access_token in %s", str_or(tok_json));
    k2_string_free(tok_json);
    char *out = ok_call(c, "introspect_access_token", token);
    CHECK(contains(out, "\"active\":true"), "introspect: %s", str_or(out));
    k2_string_free(out);
    out = ok_call(c, "token_info", NULL);
    k2_string_free(out);
    /* A panic inside the library leaves this client working. */
    CHECK(k2_test_force_panic(NULL) == K2_STATUS_INTERNAL, "forced panic");
    out = ok_call(c, "token_info", NULL);
    k2_string_free(out);

    /* STK push, with the signed result delivered to our receiver. */
    snprintf(params, sizeof params,
             "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"150.00\","
             "\"first_name\":\"Jane\",\"callback_url\":\"%s\",\"metadata\":{\"order\":\"42\"}}",
             cb);
    char *pay_id = create_and_get(c, "create_incoming_payment", params, "get_incoming_payment", "\"Success\"");
    size_t body_len = 0;
    char sig[128] = {0};
    char *body = receive_callback(lfd, 10000, &body_len, sig, sizeof sig);
    CHECK(body != NULL && sig[0], "callback received (signature %s)", sig);
    if (body) {
        char *json = NULL;
        k2_error *err = NULL;
        k2_status st = k2_parse_result((const uint8_t *)body, body_len, sig, MOCK_KEY, &json, &err);
        CHECK(st == K2_STATUS_OK && contains(json, "\"kind\":\"incoming_payment\""), "callback parse: %s %s",
              k2_status_name(st), str_or(k2_error_message(err)));
        bool valid = false;
        CHECK(k2_verify_signature((const uint8_t *)body, body_len, sig, MOCK_KEY, &valid) == K2_STATUS_OK && valid,
              "callback signature");
        k2_string_free(json);
        k2_error_free(err);
        free(body);
    }
    close(lfd);

    /* Magic phone numbers. */
    snprintf(params, sizeof params,
             "{\"till_number\":\"K000000\",\"phone_number\":\"0700000001\",\"amount\":\"10\",\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "create_incoming_payment", params, "get_incoming_payment", "\"Failed\""));

    /* Webhook subscription. */
    snprintf(params, sizeof params,
             "{\"event_type\":\"buygoods_transaction_received\",\"url\":\"%s\",\"scope\":\"till\","
             "\"scope_reference\":\"000000\"}",
             cb);
    free(create_and_get(c, "create_webhook_subscription", params, NULL, NULL));

    /* Accounts and recipients. */
    snprintf(params, sizeof params,
             "{\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"phone_number\":\"0712345678\",\"network\":\"%s\"}",
             K2_NETWORK_SAFARICOM);
    free(create_and_get(c, "create_merchant_wallet", params, NULL, NULL));
    /* Both documented payment channels are accepted. */
    const char *channels[] = {K2_PAYMENT_CHANNEL_STK_PUSH, K2_PAYMENT_CHANNEL_MPESA};
    for (size_t i = 0; i < 2; i++) {
        snprintf(params, sizeof params,
                 "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"10\","
                 "\"payment_channel\":\"%s\",\"callback_url\":\"%s\"}",
                 channels[i], cb);
        free(create_and_get(c, "create_incoming_payment", params, NULL, NULL));
    }
    free(create_and_get(c, "create_merchant_bank_account",
                        "{\"account_name\":\"Jane Doe\",\"bank_branch_ref\":\"633aa26c-7b7c-4091-ae28-96c0687cf886\","
                        "\"account_number\":\"1234567890\",\"settlement_method\":\"EFT\"}",
                        NULL, NULL));
    const char *recipients[] = {
        "{\"type\":\"mobile_wallet\",\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"phone_number\":\"0712345678\","
        "\"network\":\"Safaricom\",\"email\":\"jane@example.com\"}",
        "{\"type\":\"bank_account\",\"account_name\":\"Jane Doe\",\"bank_branch_ref\":\"633aa26c\","
        "\"account_number\":\"1234567890\",\"settlement_method\":\"RTS\"}",
        "{\"type\":\"till\",\"till_name\":\"Shop\",\"till_number\":\"567890\"}",
        "{\"type\":\"paybill\",\"paybill_name\":\"Power\",\"paybill_number\":\"888880\","
        "\"paybill_account_number\":\"12345\"}",
    };
    for (size_t i = 0; i < 4; i++)
        free(create_and_get(c, "create_external_recipient", recipients[i], NULL, NULL));

    /* Send money. */
    snprintf(params, sizeof params,
             "{\"destinations\":[{\"type\":\"mobile_wallet\",\"phone_number\":\"0712345678\",\"network\":\"Safaricom\","
             "\"amount\":\"1000\",\"description\":\"Salary\"}],\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "send_money", params, "get_send_money", "\"Processed\""));

    /* Polling, SMS notification, reversal, payment link. */
    snprintf(params, sizeof params,
             "{\"scope\":\"company\",\"from_time\":\"2021-04-12T08:50:22+03:00\","
             "\"to_time\":\"2021-04-19T08:50:22+03:00\",\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "create_polling", params, "get_polling", "\"Success\""));
    snprintf(params, sizeof params,
             "{\"webhook_event_reference\":\"d81312b9-4c0e-4347-971f-c3d5b14bdbe4\",\"message\":\"Thanks\","
             "\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "create_transaction_sms_notification", params, "get_transaction_sms_notification",
                        "\"Success\""));
    snprintf(params, sizeof params,
             "{\"transaction_reference\":\"OJJ1MPU40Z\",\"reason\":\"Customer overpaid\",\"callback_url\":\"%s\"}", cb);
    free(create_and_get(c, "create_reversal", params, "get_reversal", "\"Processed\""));
    snprintf(params, sizeof params,
             "{\"till_number\":\"112233\",\"amount\":\"350\",\"note\":\"Invoice 7\",\"callback_url\":\"%s\"}", cb);
    char *link = create_and_get(c, "create_payment_link", params, "get_payment_link", "\"Active\"");
    if (link) {
        out = ok_call(c, "cancel_payment_link", link);
        k2_string_free(out);
        out = await_status(c, "get_payment_link", link, "ancel");
        k2_string_free(out);
        free(link);
    }

    /* Every operation through the generic call at least once (no-parameter ones here). */
    CHECK(k2_client_call(c, "token_info", "", &out, NULL) == K2_STATUS_OK, "call token_info with \"\"");
    k2_string_free(out);

    /* A client shared by threads. */
    pthread_t th[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct thread_arg){c, pay_id, 0};
        CHECK(pthread_create(&th[i], NULL, thread_main, &args[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(args[i].failures == 0, "thread %d failures %d", i, args[i].failures);
    }

    /* Errors, by status. */
    k2_error *err = NULL;
    snprintf(params, sizeof params,
             "{\"till_number\":\"K400400\",\"phone_number\":\"0712345678\",\"amount\":\"1\",\"callback_url\":\"%s\"}", cb);
    out = (char *)0x1;
    k2_status st = k2_create_incoming_payment(c, params, &out, &err);
    CHECK(out == NULL, "no result on error");
    CHECK(k2_error_http_status(err) == 400, "http status %u", k2_error_http_status(err));
    CHECK(contains(k2_error_message(err), "Till number is invalid"), "message %s", str_or(k2_error_message(err)));
    CHECK(k2_error_field(err) == NULL, "api error has no field");
    expect_err("API error", st, err, K2_STATUS_API_ERROR, "api_error", NULL);

    snprintf(params, sizeof params,
             "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"1\",\"callback_url\":\"%s\"}", cb);
    fault("{\"mode\":\"429\",\"count\":1,\"path\":\"/api/v2/incoming_payments\",\"retry_after\":30}");
    err = NULL;
    st = k2_create_incoming_payment(c, params, &out, &err);
    CHECK(k2_error_http_status(err) == 429, "429 status %u", k2_error_http_status(err));
    CHECK(k2_error_retry_after_ms(err) == 30000, "retry after %llu", (unsigned long long)k2_error_retry_after_ms(err));
    expect_err("rate limited", st, err, K2_STATUS_RATE_LIMITED, "rate_limited", NULL);

    fault("{\"mode\":\"malformed_json\",\"count\":1,\"path\":\"/api/v2/incoming_payments/\"}");
    err = NULL;
    st = k2_get_incoming_payment(c, pay_id, &out, &err);
    expect_err("malformed response", st, err, K2_STATUS_DECODE, "decode_error", NULL);

    fault("{\"mode\":\"500\",\"count\":5,\"path\":\"/api/v2/incoming_payments\"}");
    err = NULL;
    st = k2_create_incoming_payment(c, params, &out, &err);
    CHECK(k2_error_http_status(err) == 500, "500 status %u", k2_error_http_status(err));
    expect_err("server error", st, err, K2_STATUS_API_ERROR, "api_error", NULL);
    http_post(mock_port, "/__admin/reset", "{}");

    /* Revocation: the result is JSON null; the client then fetches a new token. */
    out = ok_call(c, "revoke_access_token", token);
    CHECK(out && strcmp(out, "null") == 0, "revoke result %s", str_or(out));
    k2_string_free(out);
    out = ok_call(c, "get_incoming_payment", pay_id);
    k2_string_free(out);
    free(token);
    free(pay_id);
    k2_client_free(c);

    /* Authentication failure: the secret never appears in the message. */
    c = new_client(base_url, "wrong-secret-value-xyz", 10000);
    if (c) {
        err = NULL;
        st = k2_request_access_token(c, &out, &err);
        CHECK(!contains(k2_error_message(err), "wrong-secret-value-xyz"), "secret in message");
        CHECK(k2_error_http_status(err) == 401, "401 status %u", k2_error_http_status(err));
        expect_err("authentication", st, err, K2_STATUS_AUTHENTICATION, "authentication_failed", NULL);
        err = NULL;
        st = k2_get_incoming_payment(c, "abc", &out, &err);
        expect_err("authentication on call", st, err, K2_STATUS_AUTHENTICATION, "authentication_failed", NULL);
        k2_client_free(c);
    }

    /* Timeout: a hanging POST (never retried) against a 1 s timeout. */
    c = new_client(base_url, MOCK_SECRET, 1000);
    if (c) {
        out = ok_call(c, "token_info", NULL); /* token first, so only the POST hangs */
        k2_string_free(out);
        fault("{\"mode\":\"hang\",\"count\":1,\"path\":\"/api/v2/incoming_payments\"}");
        err = NULL;
        st = k2_create_incoming_payment(c, params, &out, &err);
        expect_err("timeout", st, err, K2_STATUS_TIMEOUT, "timeout", NULL);
        k2_client_free(c);
    }
    http_post(mock_port, "/__admin/reset", "{}");

    /* Transport: nothing listens there. */
    int dead_port = 0;
    int dfd = listener_open(&dead_port);
    close(dfd);
    char dead[64];
    snprintf(dead, sizeof dead, "http://127.0.0.1:%d", dead_port);
    c = new_client(dead, MOCK_SECRET, 2000);
    if (c) {
        err = NULL;
        st = k2_create_incoming_payment(c, params, &out, &err);
        expect_err("transport", st, err, K2_STATUS_TRANSPORT, "transport_error", NULL);
        k2_client_free(c);
    }
}

static const k2v_fixture_file *k2v_fixture(const char *name) {
    for (size_t i = 0; i < K2V_FIXTURE_COUNT; i++)
        if (strcmp(K2V_FIXTURES[i].name, name) == 0)
            return &K2V_FIXTURES[i];
    CHECK(0, "fixture %s is not embedded (gen_vectors.py NAMED_FIXTURES)", name);
    return NULL;
}

/* Parses a response body through k2_parse_response; returns the JSON or NULL. */
static char *parse_ok(const char *operation, const char *params, const uint8_t *body, size_t len) {
    char *out = NULL;
    k2_error *err = NULL;
    k2_status st = k2_parse_response(operation, params, 200, "{}", body, len, &out, &err);
    CHECK(st == K2_STATUS_OK && out && !err, "%s: %s %s", operation, k2_status_name(st), str_or(k2_error_message(err)));
    k2_error_free(err);
    return out;
}

/* Parses a signed webhook or result payload; returns the JSON or NULL. */
static char *parse_payload(parse_fn parse, const k2v_fixture_file *f) {
    char *sig = NULL, *json = NULL;
    k2_error *err = NULL;
    CHECK(k2_sign(f->body, f->body_len, "key", &sig) == K2_STATUS_OK, "sign %s", f->name);
    k2_status st = parse(f->body, f->body_len, sig, "key", &json, &err);
    CHECK(st == K2_STATUS_OK && json, "parse %s: %s %s", f->name, k2_status_name(st), str_or(k2_error_message(err)));
    k2_error_free(err);
    k2_string_free(sig);
    return json;
}

/* Every message of an API error body: the documented reversal error, whose
 * error_message is an array, through k2_parse_response. */
static void test_api_messages(void) {
    const char *params = "{\"transaction_reference\":\"5d894b0f-b07e-4304-ab4a-d54b80bc7286\","
                         "\"reason\":\"Testing Reversals\",\"callback_url\":\"https://a.example/cb\"}";
    const char *pending = "You cannot reverse a transaction in Pending Reversal";
    const k2v_fixture_file *f = k2v_fixture("error.reversal.json");
    if (f) {
        char *out = (char *)0x1;
        k2_error *err = NULL;
        k2_status st = k2_parse_response("create_reversal", params, 400, "{}", f->body, f->body_len, &out, &err);
        CHECK(st == K2_STATUS_API_ERROR && out == NULL && err, "reversal error: %s", k2_status_name(st));
        CHECK(k2_error_http_status(err) == 400, "reversal error: http %u", k2_error_http_status(err));
        CHECK(strcmp(str_or(k2_error_api_code(err)), "400") == 0, "reversal error: api code %s",
              str_or(k2_error_api_code(err)));
        CHECK(k2_error_api_message_count(err) == 1, "reversal error: %zu messages", k2_error_api_message_count(err));
        CHECK(strcmp(str_or(k2_error_api_message(err, 0)), pending) == 0, "reversal error: message 0 %s",
              str_or(k2_error_api_message(err, 0)));
        CHECK(k2_error_api_message(err, 1) == NULL, "reversal error: message 1 out of range");
        CHECK(k2_error_api_message(err, (size_t)-1) == NULL, "reversal error: message SIZE_MAX out of range");
        CHECK(contains(k2_error_message(err), pending), "reversal error: %s", str_or(k2_error_message(err)));
        /* The strings belong to the error: stable across calls. */
        CHECK(k2_error_api_message(err, 0) == k2_error_api_message(err, 0), "same pointer");
        k2_error_free(err);
    }

    /* Two messages: both, in order; the description joins them. */
    const char *two = "{\"error_code\":400,\"error_message\":[\"You cannot reverse a transaction in Pending Reversal\","
                      "\"Second\"]}";
    char *out = NULL;
    k2_error *err = NULL;
    k2_status st = k2_parse_response("create_reversal", params, 400, "{}", (const uint8_t *)two, strlen(two), &out, &err);
    CHECK(st == K2_STATUS_API_ERROR, "two messages: %s", k2_status_name(st));
    CHECK(k2_error_api_message_count(err) == 2, "two messages: %zu", k2_error_api_message_count(err));
    CHECK(strcmp(str_or(k2_error_api_message(err, 0)), pending) == 0, "two messages: 0 %s",
          str_or(k2_error_api_message(err, 0)));
    CHECK(strcmp(str_or(k2_error_api_message(err, 1)), "Second") == 0, "two messages: 1 %s",
          str_or(k2_error_api_message(err, 1)));
    CHECK(contains(k2_error_message(err), "Pending Reversal; Second"), "two messages: %s", str_or(k2_error_message(err)));
    k2_error_free(err);

    /* A text error_message is one message; no body, none. */
    const char *one = "{\"error_code\":404,\"error_message\":\"Payment link not found\"}";
    err = NULL;
    st = k2_parse_response("get_payment_link", "{\"id\":\"x\"}", 404, "{}", (const uint8_t *)one, strlen(one), &out, &err);
    CHECK(st == K2_STATUS_API_ERROR && k2_error_api_message_count(err) == 1 &&
              strcmp(str_or(k2_error_api_message(err, 0)), "Payment link not found") == 0,
          "text message: %s %zu", k2_status_name(st), k2_error_api_message_count(err));
    k2_error_free(err);
    err = NULL;
    st = k2_parse_response("create_reversal", params, 400, "{}", NULL, 0, &out, &err);
    CHECK(st == K2_STATUS_API_ERROR && k2_error_api_message_count(err) == 0 && k2_error_api_message(err, 0) == NULL,
          "no body: %s %zu", k2_status_name(st), k2_error_api_message_count(err));
    k2_error_free(err);

    /* Other kinds of error carry none. */
    err = NULL;
    st = k2_parse_response("no_such_operation", "{}", 200, "{}", NULL, 0, &out, &err);
    CHECK(st == K2_STATUS_INVALID_ARGUMENT && k2_error_api_message_count(err) == 0, "invalid argument: %zu",
          k2_error_api_message_count(err));
    k2_error_free(err);
}

/* Shapes added to the core: m2m webhooks, version-1 results, legacy settlement
 * amounts, payment-link initiator_name, token-info created_at as text. The
 * results are JSON from the core, so the new fields are simply there. */
static void test_live_shapes(void) {
    const k2v_fixture_file *f = k2v_fixture("live/webhook.m2m_transaction_received.k2.json");
    char *json = f ? parse_payload(k2_parse_webhook, f) : NULL;
    CHECK(contains(json, "\"topic\":\"m2m_transaction_received\""), "m2m topic: %s", str_or(json));
    CHECK(contains(json, "\"kind\":\"transaction\""), "m2m resource kind: %s", str_or(json));
    CHECK(contains(json, "\"sending_merchant\":\"Acme Wholesalers\""), "m2m sending_merchant: %s", str_or(json));
    char *merchant = json_str(json, "sending_merchant");
    CHECK(merchant && strcmp(merchant, "Acme Wholesalers") == 0, "m2m sending_merchant %s", str_or(merchant));
    free(merchant);
    k2_string_free(json);

    f = k2v_fixture("live/result.payment.v1.json");
    json = f ? parse_payload(k2_parse_result, f) : NULL;
    CHECK(contains(json, "\"kind\":\"send_money\"") && contains(json, "\"type\":\"payment\""), "v1 payment: %s",
          str_or(json));
    CHECK(contains(json, "\"transaction_reference\":\"PBF9XYZ123\""), "v1 payment: %s", str_or(json));
    k2_string_free(json);

    f = k2v_fixture("variants/response.send_money.status.legacy_settlement_transfer.json");
    json = f ? parse_payload(k2_parse_result, f) : NULL;
    CHECK(contains(json, "\"kind\":\"send_money\"") && contains(json, "\"type\":\"settlement_transfer\""),
          "legacy settlement result: %s", str_or(json));
    CHECK(contains(json, "\"amount\":{\"currency\":\"KES\",\"value\":null}"), "legacy amount: %s", str_or(json));
    k2_string_free(json);
    if (f) {
        json = parse_ok("get_send_money", "{\"id\":\"01aece24-e596-4f5c-9ace-9eb1a0939dda\"}", f->body, f->body_len);
        CHECK(contains(json, "\"type\":\"settlement_transfer\"") &&
                  contains(json, "\"amount\":{\"currency\":\"KES\",\"value\":null}"),
              "legacy settlement status: %s", str_or(json));
        k2_string_free(json);
    }

    f = k2v_fixture("response.payment_link.status.alt.json");
    if (f) {
        json = parse_ok("get_payment_link", "{\"id\":\"2eab4ca0-1724-4c90-a734-0fb5ffc4391c\"}", f->body, f->body_len);
        CHECK(contains(json, "\"initiator_name\":\"David Kariuki Mwangi\""), "initiator_name: %s", str_or(json));
        k2_string_free(json);
    }

    f = k2v_fixture("response.token_info.json");
    if (f) {
        json = parse_ok("token_info", "{}", f->body, f->body_len);
        CHECK(contains(json, "\"created_at\":\"1613376955\""), "token info created_at as text: %s", str_or(json));
        k2_string_free(json);
    }
}

/* The documented request values, from the core's constants. */
static void test_request_constants(void) {
    CHECK(strcmp(K2_NETWORK_SAFARICOM, "Safaricom") == 0, "K2_NETWORK_SAFARICOM = %s", K2_NETWORK_SAFARICOM);
    CHECK(strcmp(K2_PAYMENT_CHANNEL_STK_PUSH, "M-PESA STK Push") == 0, "K2_PAYMENT_CHANNEL_STK_PUSH = %s",
          K2_PAYMENT_CHANNEL_STK_PUSH);
    CHECK(strcmp(K2_PAYMENT_CHANNEL_MPESA, "M-PESA") == 0, "K2_PAYMENT_CHANNEL_MPESA = %s", K2_PAYMENT_CHANNEL_MPESA);
    CHECK(sizeof K2_NETWORK_SAFARICOM == strlen(K2_NETWORK_SAFARICOM) + 1, "array size");
    CHECK(sizeof K2_PAYMENT_CHANNEL_STK_PUSH == strlen(K2_PAYMENT_CHANNEL_STK_PUSH) + 1, "array size");
    CHECK(sizeof K2_PAYMENT_CHANNEL_MPESA == strlen(K2_PAYMENT_CHANNEL_MPESA) + 1, "array size");
    /* Usable where a constant address is required. */
    static const char *const channels[] = {K2_PAYMENT_CHANNEL_STK_PUSH, K2_PAYMENT_CHANNEL_MPESA};
    CHECK(channels[0] != channels[1] && strcmp(channels[0], channels[1]) != 0, "distinct channels");
}

struct run {
    int argc;
    char **argv;
    int rc;
};

static void *run_tests(void *p) {
    struct run *r = p;
    const char *mode = r->argc > 1 ? r->argv[1] : "unit";
    r->rc = 0;
    if (strcmp(mode, "unit") == 0) {
        test_static_functions();
        test_client_new();
        test_internal();
        test_call_bad_input();
        test_error_vectors();
        test_signatures();
        test_payloads();
        test_api_messages();
        test_live_shapes();
        test_request_constants();
    } else if (strcmp(mode, "mock") == 0 && r->argc > 2) {
        FILE *f = fopen(r->argv[2], "r");
        if (!f || !fgets(base_url, sizeof base_url, f)) {
            fprintf(stderr, "cannot read the mock URL from %s\n", r->argv[2]);
            if (f)
                fclose(f);
            r->rc = 2;
            return NULL;
        }
        fclose(f);
        base_url[strcspn(base_url, "\r\n")] = 0;
        if (sscanf(base_url, "http://127.0.0.1:%d", &mock_port) != 1) {
            fprintf(stderr, "unexpected mock URL %s\n", base_url);
            r->rc = 2;
            return NULL;
        }
        test_mock();
    } else {
        fprintf(stderr, "usage: %s unit | mock URL_FILE\n", r->argv[0]);
        r->rc = 2;
    }
    return NULL;
}

int main(int argc, char **argv) {
    /* The tests run on a thread of their own: Rust's standard library keeps a
     * small per-thread handle in thread-local storage, released when a thread
     * exits but not at process exit, which memcheck would report as "possibly
     * lost" for the main thread (see valgrind.supp). */
    struct run r = {argc, argv, 0};
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 8u << 20);
    if (pthread_create(&t, &attr, run_tests, &r) != 0) {
        perror("pthread_create");
        return 2;
    }
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    if (r.rc)
        return r.rc;
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
