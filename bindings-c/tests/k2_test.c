/*
 * Tests of the kopokopo C API.
 *
 *   k2_test unit              NULL / bad-input cases of every function, the
 *                             shared signature and error vectors, payload fixtures
 *   k2_test mock URL_FILE     every operation against `k2 mock` (its base URL
 *                             is the first line of URL_FILE), error statuses,
 *                             a real signed callback, a client shared by threads
 *   k2_test money URL_FILE    an amount beyond double precision, end to end
 *                             against `k2 mock` (exact through every entry point)
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

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

#define NOT_UTF8 "\xff\xfe"
#define MOCK_ID "k2-mock-client-id"
#define MOCK_SECRET "k2-mock-client-secret"
#define MOCK_KEY "k2-mock-api-key"
/* An amount beyond double precision (17 significant digits before the point). */
#define BIG_AMOUNT "12345678901234567.89"
/* Amounts in the library's JSON are strings of their exact digits, never numbers. */
#define BIG_AMOUNT_JSON "\"amount\":\"" BIG_AMOUNT "\""

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

/* Whether some amount in JSON text is a JSON number (`"amount":1`, `"TransAmount":-1`): never allowed. */
static bool has_number_amount(const char *json) {
    for (const char *p = json; p && (p = strstr(p, "mount\":")) != NULL; p++) {
        char c = p[7];
        if (c == '-' || (c >= '0' && c <= '9'))
            return true;
    }
    return false;
}

/* k2_json_get() of a field that must be there: the value (free it), or NULL after a failed check. */
static char *get_field(const char *json, const char *path) {
    char *value = NULL;
    k2_error *err = NULL;
    k2_status st = k2_json_get(json, path, &value, &err);
    CHECK(st == K2_STATUS_OK && value != NULL, "k2_json_get %s: %s %s", path, k2_status_name(st),
          str_or(k2_error_message(err)));
    k2_error_free(err);
    return value;
}

/* Whether field `path` of `json` is exactly `want`. */
static bool field_is(const char *json, const char *path, const char *want) {
    char *value = get_field(json, path);
    bool same = value && strcmp(value, want) == 0;
    if (!same)
        fprintf(stderr, "  %s = %s, want %s\n", path, str_or(value), want);
    k2_string_free(value);
    return same;
}

/* ------------------------------------------------------------------ wrappers */

typedef k2_status (*fn_none)(const k2_client *, char **, k2_error **);
typedef k2_status (*fn_arg)(const k2_client *, const char *, char **, k2_error **);

enum kind { NONE, JSON, ID, TOKEN };

/* One per operation: its function k2_<group>_<method> and the deprecated
 * alias of earlier releases (k2_<legacy name>), which must behave the same. */
struct wrapper {
    const char *operation; /* group.method */
    const char *legacy;    /* the name of earlier releases, still accepted */
    enum kind kind;
    void (*fn)(void);
    void (*legacy_fn)(void);
};

/* Taking the deprecated aliases' addresses is intended here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#define W(op, fn, legacy, kind) \
    { op, #legacy, kind, (void (*)(void))k2_##fn, (void (*)(void))k2_##legacy }
static const struct wrapper WRAPPERS[] = {
    W("tokens.request", tokens_request, request_access_token, NONE),
    W("tokens.revoke", tokens_revoke, revoke_access_token, TOKEN),
    W("tokens.introspect", tokens_introspect, introspect_access_token, TOKEN),
    W("tokens.info", tokens_info, token_info, NONE),
    W("webhooks.subscribe", webhooks_subscribe, create_webhook_subscription, JSON),
    W("incoming_payments.create", incoming_payments_create, create_incoming_payment, JSON),
    W("incoming_payments.status", incoming_payments_status, get_incoming_payment, ID),
    W("merchant_wallets.create", merchant_wallets_create, create_merchant_wallet, JSON),
    W("merchant_bank_accounts.create", merchant_bank_accounts_create, create_merchant_bank_account, JSON),
    W("external_recipients.create", external_recipients_create, create_external_recipient, JSON),
    W("send_money.create", send_money_create, send_money, JSON),
    W("send_money.status", send_money_status, get_send_money, ID),
    W("polling.create", polling_create, create_polling, JSON),
    W("polling.status", polling_status, get_polling, ID),
    W("sms_notifications.create", sms_notifications_create, create_transaction_sms_notification, JSON),
    W("sms_notifications.status", sms_notifications_status, get_transaction_sms_notification, ID),
    W("reversals.create", reversals_create, create_reversal, JSON),
    W("reversals.status", reversals_status, get_reversal, ID),
    W("payment_links.create", payment_links_create, create_payment_link, JSON),
    W("payment_links.status", payment_links_status, get_payment_link, ID),
    W("payment_links.cancel", payment_links_cancel, cancel_payment_link, ID),
};
#pragma GCC diagnostic pop
#define WRAPPER_COUNT (sizeof WRAPPERS / sizeof WRAPPERS[0])

static k2_status call_fn(void (*fn)(void), enum kind kind, const k2_client *c, const char *arg, char **out,
                         k2_error **err) {
    if (kind == NONE)
        return ((fn_none)fn)(c, out, err);
    return ((fn_arg)fn)(c, arg, out, err);
}

static k2_status call_wrapper(const struct wrapper *w, const k2_client *c, const char *arg, char **out,
                              k2_error **err) {
    return call_fn(w->fn, w->kind, c, arg, out, err);
}

/* A client from the configuration builder (the configuration is freed right
 * away: the client keeps its own copy). */
static k2_client *new_client(const char *base_url, const char *secret, uint64_t timeout_ms) {
    k2_config_builder *b = NULL;
    k2_config *cfg = NULL;
    k2_client *c = NULL;
    k2_error *err = NULL;
    k2_status st = k2_config_builder_new(MOCK_ID, secret, &b, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_api_key(b, MOCK_KEY, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_base_url(b, base_url, &err);
    if (st == K2_STATUS_OK)
        st = k2_config_builder_set_timeout_ms(b, timeout_ms, &err);
    if (st == K2_STATUS_OK) {
        st = k2_config_builder_build(b, &cfg, &err);
        b = NULL; /* consumed */
    }
    if (st == K2_STATUS_OK)
        st = k2_client_new(cfg, &c, &err);
    k2_config_builder_free(b);
    k2_config_free(cfg);
    CHECK(st == K2_STATUS_OK && c != NULL && err == NULL, "new client (%s): %s", base_url,
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

/* One builder option to set (or not) in a test case. */
struct opts {
    const char *name, *id, *secret;
    const char *api_key, *base_url, *user_agent_suffix, *proxy; /* NULL: not set */
    int64_t timeout_ms, connect_timeout_ms, max_retries;        /* -1: not set */
    const char *field;                                          /* the expected error field, or NULL */
};

/* Builds a configuration from `o`; returns the status of the first failure. */
static k2_status build_config(const struct opts *o, k2_config **cfg, k2_error **err) {
    k2_config_builder *b = NULL;
    k2_status st = k2_config_builder_new(o->id, o->secret, &b, err);
    if (st == K2_STATUS_OK && o->api_key)
        st = k2_config_builder_set_api_key(b, o->api_key, err);
    if (st == K2_STATUS_OK && o->base_url)
        st = k2_config_builder_set_base_url(b, o->base_url, err);
    if (st == K2_STATUS_OK && o->user_agent_suffix)
        st = k2_config_builder_set_user_agent_suffix(b, o->user_agent_suffix, err);
    if (st == K2_STATUS_OK && o->proxy)
        st = k2_config_builder_set_proxy(b, o->proxy, err);
    if (st == K2_STATUS_OK && o->timeout_ms >= 0)
        st = k2_config_builder_set_timeout_ms(b, (uint64_t)o->timeout_ms, err);
    if (st == K2_STATUS_OK && o->connect_timeout_ms >= 0)
        st = k2_config_builder_set_connect_timeout_ms(b, (uint64_t)o->connect_timeout_ms, err);
    if (st == K2_STATUS_OK && o->max_retries >= 0)
        st = k2_config_builder_set_max_retries(b, (uint32_t)o->max_retries, err);
    if (st != K2_STATUS_OK) {
        k2_config_builder_free(b);
        *cfg = NULL; /* not built */
        return st;
    }
    return k2_config_builder_build(b, cfg, err); /* consumes b */
}

static void test_client_new(void) {
    k2_client *c = (k2_client *)0x1; /* must be overwritten with NULL on failure */
    k2_error *err = (k2_error *)0x1;
    k2_status st = k2_client_new(NULL, &c, &err);
    CHECK(c == NULL, "client_out cleared");
    expect_err("NULL config", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "config");

    /* The builder: NULL arguments and out-parameters. */
    k2_config_builder *b = (k2_config_builder *)0x1;
    err = NULL;
    st = k2_config_builder_new(NULL, "s", &b, &err);
    CHECK(b == NULL, "builder_out cleared");
    expect_err("builder NULL client_id", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client_id");
    err = NULL;
    st = k2_config_builder_new("id", NULL, &b, &err);
    expect_err("builder NULL client_secret", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client_secret");
    err = NULL;
    st = k2_config_builder_new("id", "s", NULL, &err);
    expect_err("builder NULL builder_out", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder_out");
    CHECK(k2_config_builder_new("id", "s", NULL, NULL) == K2_STATUS_INVALID_ARGUMENT, "no error out-parameter");
    err = NULL;
    st = k2_config_builder_set_base_url(NULL, "https://a.example", &err);
    expect_err("set_base_url NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder");
    err = NULL;
    st = k2_config_builder_set_api_key(NULL, "k", &err);
    expect_err("set_api_key NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder");
    err = NULL;
    st = k2_config_builder_set_timeout_ms(NULL, 1, &err);
    expect_err("set_timeout_ms NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder");
    err = NULL;
    st = k2_config_builder_set_connect_timeout_ms(NULL, 1, &err);
    expect_err("set_connect_timeout_ms NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument",
               "builder");
    err = NULL;
    st = k2_config_builder_set_max_retries(NULL, 1, &err);
    expect_err("set_max_retries NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder");
    err = NULL;
    st = k2_config_builder_set_user_agent_suffix(NULL, "x", &err);
    expect_err("set_user_agent_suffix NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument",
               "builder");
    err = NULL;
    st = k2_config_builder_set_proxy(NULL, "none", &err);
    expect_err("set_proxy NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder");
    k2_config *cfg = (k2_config *)0x1;
    err = NULL;
    st = k2_config_builder_build(NULL, &cfg, &err);
    CHECK(cfg == NULL, "config_out cleared");
    expect_err("build NULL builder", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "builder");

    /* NULL / non-UTF-8 strings to each setter; the builder stays usable. */
    b = NULL;
    CHECK(k2_config_builder_new("id", "s", &b, NULL) == K2_STATUS_OK && b, "builder");
    struct {
        k2_status (*set)(k2_config_builder *, const char *, k2_error **);
        const char *field;
    } setters[] = {
        {k2_config_builder_set_base_url, "base_url"},
        {k2_config_builder_set_api_key, "api_key"},
        {k2_config_builder_set_user_agent_suffix, "user_agent_suffix"},
        {k2_config_builder_set_proxy, "proxy"},
    };
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++) {
        err = NULL;
        st = setters[i].set(b, NULL, &err);
        expect_err(setters[i].field, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", setters[i].field);
        err = NULL;
        st = setters[i].set(b, "x" NOT_UTF8, &err);
        expect_err(setters[i].field, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", setters[i].field);
    }
    /* A NULL config_out still consumes the builder (valgrind checks that it is freed). */
    err = NULL;
    st = k2_config_builder_build(b, NULL, &err);
    expect_err("build NULL config_out", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "config_out");
    /* An unused builder is released by k2_config_builder_free. */
    b = NULL;
    CHECK(k2_config_builder_new("id", "s", &b, NULL) == K2_STATUS_OK && b, "builder");
    CHECK(k2_config_builder_set_proxy(b, "none", NULL) == K2_STATUS_OK, "set_proxy without err");
    k2_config_builder_free(b);
    k2_config_builder_free(NULL);
    k2_config_free(NULL);

    /* Values refused by the core when building: the field names the option;
     * the builder is consumed either way. */
    static const struct opts bad[] = {
        {"empty client_id", "", "s", NULL, NULL, NULL, NULL, -1, -1, -1, "client_id"},
        {"blank client_secret", "id", "  ", NULL, NULL, NULL, NULL, -1, -1, -1, "client_secret"},
        {"non-UTF-8 client_id", NOT_UTF8, "s", NULL, NULL, NULL, NULL, -1, -1, -1, "client_id"},
        {"non-UTF-8 client_secret", "id", "super-secret" NOT_UTF8, NULL, NULL, NULL, NULL, -1, -1, -1, "client_secret"},
        {"insecure base_url", "id", "s", NULL, "http://example.com", NULL, NULL, -1, -1, -1, "base_url"},
        {"relative base_url", "id", "s", NULL, "sandbox.kopokopo.com", NULL, NULL, -1, -1, -1, "base_url"},
        {"base_url with query", "id", "s", NULL, "https://x.example/?a=1", NULL, NULL, -1, -1, -1, "base_url"},
        {"zero timeout", "id", "s", NULL, NULL, NULL, NULL, 0, -1, -1, "timeout"},
        {"timeout over one hour", "id", "s", NULL, NULL, NULL, NULL, 3600001, -1, -1, "timeout"},
        {"huge timeout", "id", "s", NULL, NULL, NULL, NULL, INT64_MAX, -1, -1, "timeout"},
        {"zero connect timeout", "id", "s", NULL, NULL, NULL, NULL, -1, 0, -1, "connect_timeout"},
        {"connect timeout over one hour", "id", "s", NULL, NULL, NULL, NULL, -1, 3600001, -1, "connect_timeout"},
        {"user agent with a newline", "id", "s", NULL, NULL, "app\r\nX-Evil: 1", NULL, -1, -1, -1, "user_agent_suffix"},
        {"proxy with another scheme", "id", "s", NULL, NULL, NULL, "ftp://proxy.example:21", -1, -1, -1, "proxy"},
        {"proxy not a URL", "id", "s", NULL, NULL, NULL, "proxy.example:3128", -1, -1, -1, "proxy"},
        {"proxy without a host", "id", "s", NULL, NULL, NULL, "http://", -1, -1, -1, "proxy"},
        {"proxy with a space", "id", "s", NULL, NULL, NULL, "http://proxy example:3128", -1, -1, -1, "proxy"},
        {"bad proxy with credentials", "id", "super-secret-value", "super-secret-key", NULL, NULL,
         "socks9://user:super-secret-pw@proxy.example", -1, -1, -1, "proxy"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg = (k2_config *)0x1;
        err = NULL;
        st = build_config(&bad[i], &cfg, &err);
        CHECK(cfg == NULL || st == K2_STATUS_OK, "%s: config_out cleared", bad[i].name);
        CHECK(!contains(k2_error_message(err), "super-secret"), "%s: secret in message", bad[i].name);
        expect_err(bad[i].name, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", bad[i].field);
    }

    /* Good configurations: defaults, every option, every proxy, the limits. One
     * configuration may serve several clients, and outlives none of them. */
    static const struct opts good[] = {
        {"defaults", "id", "s", NULL, NULL, NULL, NULL, -1, -1, -1, NULL},
        {"every option", "id", "s", "key", "https://sandbox.kopokopo.com/", "myapp/1.2", "none", 20000, 5000, 3, NULL},
        {"no api key, no retries", "id", "s", "", "https://api.kopokopo.com", "", "env", 1, 1, 0, NULL},
        {"longest timeouts, many retries", "id", "s", NULL, NULL, NULL, NULL, 3600000, 3600000, 1000, NULL},
        {"proxy URL", "id", "s", NULL, NULL, NULL, "http://proxy.example:3128", -1, -1, -1, NULL},
        {"proxy with credentials", "id", "s", NULL, NULL, NULL, "https://user:pw@proxy.example", -1, -1, -1, NULL},
        {"proxy none", "id", "s", NULL, NULL, NULL, "none", -1, -1, -1, NULL},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        cfg = NULL;
        err = NULL;
        st = build_config(&good[i], &cfg, &err);
        CHECK(st == K2_STATUS_OK && cfg && !err, "%s: %s %s", good[i].name, k2_status_name(st),
              str_or(k2_error_message(err)));
        k2_error_free(err);
        k2_client *c1 = NULL, *c2 = NULL;
        CHECK(k2_client_new(cfg, &c1, NULL) == K2_STATUS_OK && c1, "%s: client", good[i].name);
        CHECK(k2_client_new(cfg, &c2, NULL) == K2_STATUS_OK && c2 && c2 != c1, "%s: second client", good[i].name);
        err = NULL;
        st = k2_client_new(cfg, NULL, &err);
        expect_err("NULL client_out", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "client_out");
        k2_config_free(cfg);
        k2_client_free(c1);
        k2_client_free(c2);
    }

    /* The deprecated struct constructor (the k2_config struct of earlier releases). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    k2_config_struct old = {0};
    old.client_id = "id";
    old.client_secret = "super-secret-value";
    c = NULL;
    CHECK(k2_client_new_from_struct(&old, &c, NULL) == K2_STATUS_OK && c, "struct: default client");
    k2_client_free(c);
    old.api_key = "";
    old.base_url = "https://sandbox.kopokopo.com/";
    old.timeout_ms = 3600000;
    old.proxy = "none";
    c = NULL;
    CHECK(k2_client_new_from_struct(&old, &c, NULL) == K2_STATUS_OK && c, "struct: explicit client");
    k2_client_free(c);
    old.timeout_ms = 3600001;
    c = (k2_client *)0x1;
    err = NULL;
    st = k2_client_new_from_struct(&old, &c, &err);
    CHECK(c == NULL, "struct: client_out cleared");
    expect_err("struct: timeout", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "timeout");
    old.timeout_ms = 0;
    old.client_secret = NULL;
    err = NULL;
    st = k2_client_new_from_struct(&old, &c, &err);
    expect_err("struct: NULL secret", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client_secret");
    err = NULL;
    st = k2_client_new_from_struct(NULL, &c, &err);
    expect_err("struct: NULL config", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "config");
#pragma GCC diagnostic pop
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
        k2_status st = k2_reversals_status(c, "", &out, &err);
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

    st = k2_client_call(NULL, "tokens.info", "{}", &out, &err);
    CHECK(out == NULL, "result cleared");
    expect_err("call NULL client", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client");
    err = NULL;
    st = k2_client_call(c, NULL, "{}", &out, &err);
    expect_err("call NULL operation", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "operation");
    err = NULL;
    st = k2_client_call(c, "tokens.info", NULL, &out, &err);
    expect_err("call NULL params", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "params_json");
    err = NULL;
    st = k2_client_call(c, "tokens.info", "{}", NULL, &err);
    expect_err("call NULL result", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "result_json");
    err = NULL;
    st = k2_client_call(c, "token" NOT_UTF8, "{}", &out, &err);
    expect_err("call non-UTF-8 operation", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "operation");
    err = NULL;
    st = k2_client_call(c, "reversals.status", "{\"id\":\"" NOT_UTF8 "\"}", &out, &err);
    expect_err("call non-UTF-8 params", st, err, K2_STATUS_INVALID_ARGUMENT, NULL, "params_json");
    err = NULL;
    st = k2_client_call(c, "no_such_operation", "{}", &out, &err);
    expect_err("unknown operation", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "operation");
    err = NULL;
    st = k2_client_call(c, "incoming_payments.create", "{not json", &out, &err);
    expect_err("params not JSON", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "params");
    err = NULL;
    st = k2_client_call(c, "incoming_payments.create", "[1,2]", &out, &err);
    expect_err("params not an object", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "params");
    err = NULL;
    st = k2_client_call(c, "incoming_payments.status", "{\"id\": 5}", &out, &err);
    expect_err("id not a string", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "id");
    CHECK(k2_client_call(c, "incoming_payments.status", "{}", &out, NULL) == K2_STATUS_INVALID_ARGUMENT,
          "no error out-parameter");
    CHECK(out == NULL, "result stays NULL");

    /* Validation of every operation with parameters, through the generic call,
     * under its name and under the deprecated name of earlier releases. */
    for (size_t i = 0; i < k2_operation_count(); i++) {
        const char *op = k2_operation_name(i);
        if (WRAPPERS[i].kind == NONE)
            continue;
        err = NULL;
        st = k2_client_call(c, op, "{}", &out, &err);
        CHECK(st == K2_STATUS_INVALID_ARGUMENT && k2_error_field(err) != NULL, "%s with {}: %s", op,
              k2_status_name(st));
        k2_error *legacy_err = NULL;
        k2_status legacy_st = k2_client_call(c, WRAPPERS[i].legacy, "{}", &out, &legacy_err);
        CHECK(legacy_st == st && strcmp(str_or(k2_error_field(legacy_err)), str_or(k2_error_field(err))) == 0 &&
                  strcmp(str_or(k2_error_message(legacy_err)), str_or(k2_error_message(err))) == 0,
              "%s under its old name %s: %s %s", op, WRAPPERS[i].legacy, k2_status_name(legacy_st),
              str_or(k2_error_message(legacy_err)));
        k2_error_free(legacy_err);
        k2_error_free(err);
    }

    /* Every function and its deprecated alias: NULL client, NULL out, NULL / non-UTF-8 / invalid argument. */
    for (size_t i = 0; i < 2 * WRAPPER_COUNT; i++) {
        const struct wrapper *w = &WRAPPERS[i / 2];
        void (*fn)(void) = i % 2 ? w->legacy_fn : w->fn;
        const char *good = w->kind == JSON ? "{}" : "abc";
        err = NULL;
        st = call_fn(fn, w->kind, NULL, good, &out, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "client");
        err = NULL;
        st = call_fn(fn, w->kind, c, good, NULL, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "result_json");
        if (w->kind == NONE)
            continue;
        const char *argname = w->kind == JSON ? "params_json" : w->kind == ID ? "id" : "token";
        err = NULL;
        out = (char *)0x1;
        st = call_fn(fn, w->kind, c, NULL, &out, &err);
        CHECK(out == NULL, "%s: result cleared", w->operation);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", argname);
        err = NULL;
        st = call_fn(fn, w->kind, c, w->kind == JSON ? "{\"x\":\"" NOT_UTF8 "\"}" : NOT_UTF8, &out, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", argname);
        err = NULL;
        st = call_fn(fn, w->kind, c, w->kind == JSON ? "{}" : "", &out, &err);
        expect_err(w->operation, st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", NULL);
        if (w->kind == JSON) {
            err = NULL;
            st = call_fn(fn, w->kind, c, "{\"no_such_field\": 1, ", &out, &err);
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
        CHECK(st == K2_STATUS_INVALID_ARGUMENT && out == NULL, "validation vector %s: %s", v->name, k2_status_name(st));
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
    k2_status st = k2_parse_response("tokens.request", "", 200, "{}", (const uint8_t *)tok, strlen(tok), &out, &err);
    CHECK(st == K2_STATUS_OK && contains(out, "\"access_token\":\"abc\""), "parse_response ok: %s", str_or(out));
    k2_string_free(out);
    k2_error_free(err);
    st = k2_parse_response("reversals.create",
                           "{\"transaction_reference\":\"x\",\"reason\":\"y\","
                           "\"callback_url\":\"https://a.example/cb\"}",
                           201, "{\"Location\":\"https://sandbox.kopokopo.com/api/v2/reversals/42\"}", NULL, 0, &out,
                           NULL);
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
        {"tokens.info", NULL, "{}", NULL, 0, 0, "params_json"},
        {"tokens.info", "{}", NULL, NULL, 0, 0, "headers_json"},
        {"tokens.info", "{}", "{}", NULL, 4, 0, "body"},
        {"tokens.info", "{}", "{}", NULL, 0, 1, "result_json"},
        {"tokens.info", "[]", "{}", NULL, 0, 0, "params_json"},
        {"tokens.info", "{}", "{\"a\":1}", NULL, 0, 0, "headers_json"},
        {"tokens.info", "{}", "nope", NULL, 0, 0, "headers_json"},
        {NOT_UTF8, "{}", "{}", NULL, 0, 0, "operation"},
        {"tokens.info", "{}", NOT_UTF8, NULL, 0, 0, "headers_json"},
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
            CHECK(!v->valid && !valid && st == K2_STATUS_INVALID_ARGUMENT, "signature vector %zu (%s): %s", i, v->name,
                  k2_status_name(st));
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
            CHECK(contains(json, "\"structure\":\"k2\"") && !contains(json, "\"kind\":\"unknown\""), "%s: %s", p->name,
                  str_or(json));
        CHECK(!has_number_amount(json), "%s: an amount is a JSON number: %s", p->name, str_or(json));
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
            expect_err("parse payload, non-UTF-8 sig", st, err, K2_STATUS_SIGNATURE_INVALID, "signature_invalid", NULL);
        }
        err = NULL;
        st = fns[f](body, 2, not_utf8_sig, NULL, &json, &err);
        expect_err("parse non-UTF-8 sig, NULL key", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "api_key");
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
        if (k2_incoming_payments_status(a->client, a->payment_id, &out, &err) != K2_STATUS_OK || !out)
            a->failures++;
        k2_string_free(out);
        k2_error_free(err);
        if (k2_tokens_info(a->client, &out, &err) != K2_STATUS_OK)
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
    char *tok_json = ok_call(c, "tokens.request", NULL);
    char *token = json_str(tok_json, "access_token");
    CHECK(token && *token, "access_token in %s", str_or(tok_json));
    k2_string_free(tok_json);
    char *out = ok_call(c, "tokens.introspect", token);
    CHECK(contains(out, "\"active\":true"), "introspect: %s", str_or(out));
    k2_string_free(out);
    out = ok_call(c, "tokens.info", NULL);
    k2_string_free(out);
    /* A panic inside the library leaves this client working. */
    CHECK(k2_test_force_panic(NULL) == K2_STATUS_INTERNAL, "forced panic");
    out = ok_call(c, "tokens.info", NULL);
    k2_string_free(out);

    /* STK push, with the signed result delivered to our receiver. */
    snprintf(params, sizeof params,
             "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"150.00\","
             "\"first_name\":\"Jane\",\"callback_url\":\"%s\",\"metadata\":{\"order\":\"42\"}}",
             cb);
    char *pay_id = create_and_get(c, "incoming_payments.create", params, "incoming_payments.status", "\"Success\"");
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
        CHECK(contains(json, "\"amount\":\"150\""), "amount in the result callback: %s", str_or(json));
        CHECK(field_is(json, "value.event.resource.amount", "150"), "result callback amount by path");
        CHECK(!has_number_amount(json), "number amount in the result callback: %s", str_or(json));
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
    free(create_and_get(c, "incoming_payments.create", params, "incoming_payments.status", "\"Failed\""));

    /* Webhook subscription. */
    snprintf(params, sizeof params,
             "{\"event_type\":\"buygoods_transaction_received\",\"url\":\"%s\",\"scope\":\"till\","
             "\"scope_reference\":\"000000\"}",
             cb);
    free(create_and_get(c, "webhooks.subscribe", params, NULL, NULL));

    /* Accounts and recipients. */
    snprintf(params, sizeof params,
             "{\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"phone_number\":\"0712345678\",\"network\":\"%s\"}",
             K2_NETWORK_SAFARICOM);
    free(create_and_get(c, "merchant_wallets.create", params, NULL, NULL));
    /* Both documented payment channels are accepted. */
    const char *channels[] = {K2_PAYMENT_CHANNEL_STK_PUSH, K2_PAYMENT_CHANNEL_MPESA};
    for (size_t i = 0; i < 2; i++) {
        snprintf(params, sizeof params,
                 "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"10\","
                 "\"payment_channel\":\"%s\",\"callback_url\":\"%s\"}",
                 channels[i], cb);
        free(create_and_get(c, "incoming_payments.create", params, NULL, NULL));
    }
    free(create_and_get(c, "merchant_bank_accounts.create",
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
        free(create_and_get(c, "external_recipients.create", recipients[i], NULL, NULL));

    /* Send money. */
    snprintf(params, sizeof params,
             "{\"destinations\":[{\"type\":\"mobile_wallet\",\"phone_number\":\"0712345678\",\"network\":\"Safaricom\","
             "\"amount\":\"1000\",\"description\":\"Salary\"}],\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "send_money.create", params, "send_money.status", "\"Processed\""));

    /* Polling, SMS notification, reversal, payment link. */
    snprintf(params, sizeof params,
             "{\"scope\":\"company\",\"from_time\":\"2021-04-12T08:50:22+03:00\","
             "\"to_time\":\"2021-04-19T08:50:22+03:00\",\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "polling.create", params, "polling.status", "\"Success\""));
    snprintf(params, sizeof params,
             "{\"webhook_event_reference\":\"d81312b9-4c0e-4347-971f-c3d5b14bdbe4\",\"message\":\"Thanks\","
             "\"callback_url\":\"%s\"}",
             cb);
    free(create_and_get(c, "sms_notifications.create", params, "sms_notifications.status", "\"Success\""));
    snprintf(params, sizeof params,
             "{\"transaction_reference\":\"OJJ1MPU40Z\",\"reason\":\"Customer overpaid\",\"callback_url\":\"%s\"}", cb);
    free(create_and_get(c, "reversals.create", params, "reversals.status", "\"Processed\""));
    snprintf(params, sizeof params,
             "{\"till_number\":\"112233\",\"amount\":\"350\",\"note\":\"Invoice 7\",\"callback_url\":\"%s\"}", cb);
    char *link = create_and_get(c, "payment_links.create", params, "payment_links.status", "\"Active\"");
    if (link) {
        out = ok_call(c, "payment_links.cancel", link);
        k2_string_free(out);
        out = await_status(c, "payment_links.status", link, "ancel");
        k2_string_free(out);
        free(link);
    }

    /* One result text whatever the entry point: the function, its deprecated
     * alias and k2_client_call (exactness end to end: test_mock_money). */
    snprintf(params, sizeof params,
             "{\"till_number\":\"112233\",\"amount\":\"" BIG_AMOUNT "\",\"note\":\"Big\",\"callback_url\":\"%s\"}", cb);
    char *big = ok_call(c, "payment_links.create", params);
    char *big_id = json_str(big, "id");
    k2_string_free(big);
    if (big_id) {
        char *by_fn = NULL, *by_alias = NULL, *by_call = NULL;
        CHECK(k2_payment_links_status(c, big_id, &by_fn, NULL) == K2_STATUS_OK, "payment_links.status");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        CHECK(k2_get_payment_link(c, big_id, &by_alias, NULL) == K2_STATUS_OK, "get_payment_link");
#pragma GCC diagnostic pop
        snprintf(params, sizeof params, "{\"id\":\"%s\"}", big_id);
        CHECK(k2_client_call(c, "payment_links.status", params, &by_call, NULL) == K2_STATUS_OK, "call");
        CHECK(contains(by_fn, "\"amount\":\""), "amount from the function: %s", str_or(by_fn));
        CHECK(!has_number_amount(by_fn), "number amount from the function: %s", str_or(by_fn));
        CHECK(by_fn && by_alias && strcmp(by_fn, by_alias) == 0, "alias text: %s", str_or(by_alias));
        CHECK(by_fn && by_call && strcmp(by_fn, by_call) == 0, "k2_client_call text: %s", str_or(by_call));
        k2_string_free(by_fn);
        k2_string_free(by_alias);
        k2_string_free(by_call);
        free(big_id);
    }

    /* Every operation through the generic call at least once (no-parameter ones here). */
    CHECK(k2_client_call(c, "tokens.info", "", &out, NULL) == K2_STATUS_OK, "call token_info with \"\"");
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
             "{\"till_number\":\"K400400\",\"phone_number\":\"0712345678\",\"amount\":\"1\",\"callback_url\":\"%s\"}",
             cb);
    out = (char *)0x1;
    k2_status st = k2_incoming_payments_create(c, params, &out, &err);
    CHECK(out == NULL, "no result on error");
    CHECK(k2_error_http_status(err) == 400, "http status %u", k2_error_http_status(err));
    CHECK(contains(k2_error_message(err), "Till number is invalid"), "message %s", str_or(k2_error_message(err)));
    CHECK(k2_error_field(err) == NULL, "api error has no field");
    expect_err("API error", st, err, K2_STATUS_API_ERROR, "api_error", NULL);

    snprintf(params, sizeof params,
             "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"1\",\"callback_url\":\"%s\"}",
             cb);
    fault("{\"mode\":\"429\",\"count\":1,\"path\":\"/api/v2/incoming_payments\",\"retry_after\":30}");
    err = NULL;
    st = k2_incoming_payments_create(c, params, &out, &err);
    CHECK(k2_error_http_status(err) == 429, "429 status %u", k2_error_http_status(err));
    CHECK(k2_error_retry_after_ms(err) == 30000, "retry after %llu", (unsigned long long)k2_error_retry_after_ms(err));
    expect_err("rate limited", st, err, K2_STATUS_RATE_LIMITED, "rate_limited", NULL);

    fault("{\"mode\":\"malformed_json\",\"count\":1,\"path\":\"/api/v2/incoming_payments/\"}");
    err = NULL;
    st = k2_incoming_payments_status(c, pay_id, &out, &err);
    expect_err("malformed response", st, err, K2_STATUS_DECODE, "decode_error", NULL);

    fault("{\"mode\":\"500\",\"count\":5,\"path\":\"/api/v2/incoming_payments\"}");
    err = NULL;
    st = k2_incoming_payments_create(c, params, &out, &err);
    CHECK(k2_error_http_status(err) == 500, "500 status %u", k2_error_http_status(err));
    expect_err("server error", st, err, K2_STATUS_API_ERROR, "api_error", NULL);
    http_post(mock_port, "/__admin/reset", "{}");

    /* Revocation: the result is JSON null; the client then fetches a new token. */
    out = ok_call(c, "tokens.revoke", token);
    CHECK(out && strcmp(out, "null") == 0, "revoke result %s", str_or(out));
    k2_string_free(out);
    out = ok_call(c, "incoming_payments.status", pay_id);
    k2_string_free(out);
    free(token);
    free(pay_id);
    k2_client_free(c);

    /* Authentication failure: the secret never appears in the message. */
    c = new_client(base_url, "wrong-secret-value-xyz", 10000);
    if (c) {
        err = NULL;
        st = k2_tokens_request(c, &out, &err);
        CHECK(!contains(k2_error_message(err), "wrong-secret-value-xyz"), "secret in message");
        CHECK(k2_error_http_status(err) == 401, "401 status %u", k2_error_http_status(err));
        expect_err("authentication", st, err, K2_STATUS_AUTHENTICATION, "authentication_failed", NULL);
        err = NULL;
        st = k2_incoming_payments_status(c, "abc", &out, &err);
        expect_err("authentication on call", st, err, K2_STATUS_AUTHENTICATION, "authentication_failed", NULL);
        k2_client_free(c);
    }

    /* Timeout: a hanging POST (never retried) against a 1 s timeout. */
    c = new_client(base_url, MOCK_SECRET, 1000);
    if (c) {
        out = ok_call(c, "tokens.info", NULL); /* token first, so only the POST hangs */
        k2_string_free(out);
        fault("{\"mode\":\"hang\",\"count\":1,\"path\":\"/api/v2/incoming_payments\"}");
        err = NULL;
        st = k2_incoming_payments_create(c, params, &out, &err);
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
        st = k2_incoming_payments_create(c, params, &out, &err);
        expect_err("transport", st, err, K2_STATUS_TRANSPORT, "transport_error", NULL);
        k2_client_free(c);
    }
}

/* Exact money end to end against the simulator: an amount beyond double
 * precision sent by a per-operation function comes back with every digit in
 * the status (function, alias, k2_client_call) and in the signed result
 * callback (k2_parse_result). Run as its own CTest test (mock_money). */
static void test_mock_money(void) {
    k2_client *c = new_client(base_url, MOCK_SECRET, 10000);
    if (!c)
        return;
    int cb_port = 0;
    int lfd = listener_open(&cb_port);
    CHECK(lfd >= 0, "callback listener");
    char cb[128], params[2048];
    snprintf(cb, sizeof cb, "http://127.0.0.1:%d/k2/results", cb_port);

    snprintf(params, sizeof params,
             "{\"till_number\":\"112233\",\"amount\":\"" BIG_AMOUNT "\",\"note\":\"Big\",\"callback_url\":\"%s\"}", cb);
    char *out = NULL;
    k2_error *err = NULL;
    k2_status st = k2_payment_links_create(c, params, &out, &err);
    CHECK(st == K2_STATUS_OK, "payment_links.create: %s", str_or(k2_error_message(err)));
    k2_error_free(err);
    char *id = json_str(out, "id");
    k2_string_free(out);
    if (id) {
        char *by_fn = NULL, *by_call = NULL;
        CHECK(k2_payment_links_status(c, id, &by_fn, NULL) == K2_STATUS_OK, "payment_links.status");
        snprintf(params, sizeof params, "{\"id\":\"%s\"}", id);
        CHECK(k2_client_call(c, "payment_links.status", params, &by_call, NULL) == K2_STATUS_OK, "call");
        CHECK(contains(by_fn, BIG_AMOUNT_JSON), "payment link amount (function): %s", str_or(by_fn));
        CHECK(contains(by_call, BIG_AMOUNT_JSON), "payment link amount (k2_client_call): %s", str_or(by_call));
        CHECK(field_is(by_fn, "amount", BIG_AMOUNT), "payment link amount by path (function)");
        k2_string_free(by_fn);
        k2_string_free(by_call);
        free(id);
    }

    snprintf(params, sizeof params,
             "{\"till_number\":\"K000000\",\"phone_number\":\"0712345678\",\"amount\":\"" BIG_AMOUNT "\","
             "\"callback_url\":\"%s\"}",
             cb);
    out = NULL;
    err = NULL;
    st = k2_incoming_payments_create(c, params, &out, &err);
    CHECK(st == K2_STATUS_OK, "incoming_payments.create: %s", str_or(k2_error_message(err)));
    k2_error_free(err);
    id = json_str(out, "id");
    k2_string_free(out);
    if (id) {
        char *status = await_status(c, "incoming_payments.status", id, "\"Success\"");
        CHECK(contains(status, BIG_AMOUNT_JSON), "incoming payment amount (status): %s", str_or(status));
        CHECK(field_is(status, "event.resource.amount", BIG_AMOUNT), "incoming payment amount by path (status)");
        k2_string_free(status);
        free(id);
    }
    size_t body_len = 0;
    char sig[128] = {0};
    char *body = lfd >= 0 ? receive_callback(lfd, 10000, &body_len, sig, sizeof sig) : NULL;
    CHECK(body != NULL && sig[0], "callback received");
    if (body) {
        char *json = NULL;
        st = k2_parse_result((const uint8_t *)body, body_len, sig, MOCK_KEY, &json, NULL);
        CHECK(st == K2_STATUS_OK && contains(json, BIG_AMOUNT_JSON), "incoming payment amount (result callback): %s",
              str_or(json));
        CHECK(field_is(json, "value.event.resource.amount", BIG_AMOUNT), "result callback amount by path");
        k2_string_free(json);
        free(body);
    }
    if (lfd >= 0)
        close(lfd);
    k2_client_free(c);
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
        k2_status st = k2_parse_response("reversals.create", params, 400, "{}", f->body, f->body_len, &out, &err);
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
    k2_status st =
        k2_parse_response("reversals.create", params, 400, "{}", (const uint8_t *)two, strlen(two), &out, &err);
    CHECK(st == K2_STATUS_API_ERROR, "two messages: %s", k2_status_name(st));
    CHECK(k2_error_api_message_count(err) == 2, "two messages: %zu", k2_error_api_message_count(err));
    CHECK(strcmp(str_or(k2_error_api_message(err, 0)), pending) == 0, "two messages: 0 %s",
          str_or(k2_error_api_message(err, 0)));
    CHECK(strcmp(str_or(k2_error_api_message(err, 1)), "Second") == 0, "two messages: 1 %s",
          str_or(k2_error_api_message(err, 1)));
    CHECK(contains(k2_error_message(err), "Pending Reversal; Second"), "two messages: %s",
          str_or(k2_error_message(err)));
    k2_error_free(err);

    /* A text error_message is one message; no body, none. */
    const char *one = "{\"error_code\":404,\"error_message\":\"Payment link not found\"}";
    err = NULL;
    st = k2_parse_response("payment_links.status", "{\"id\":\"x\"}", 404, "{}", (const uint8_t *)one, strlen(one), &out,
                           &err);
    CHECK(st == K2_STATUS_API_ERROR && k2_error_api_message_count(err) == 1 &&
              strcmp(str_or(k2_error_api_message(err, 0)), "Payment link not found") == 0,
          "text message: %s %zu", k2_status_name(st), k2_error_api_message_count(err));
    k2_error_free(err);
    err = NULL;
    st = k2_parse_response("reversals.create", params, 400, "{}", NULL, 0, &out, &err);
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
        json = parse_ok("send_money.status", "{\"id\":\"01aece24-e596-4f5c-9ace-9eb1a0939dda\"}", f->body, f->body_len);
        CHECK(contains(json, "\"type\":\"settlement_transfer\"") &&
                  contains(json, "\"amount\":{\"currency\":\"KES\",\"value\":null}"),
              "legacy settlement status: %s", str_or(json));
        k2_string_free(json);
    }

    f = k2v_fixture("response.payment_link.status.alt.json");
    if (f) {
        json =
            parse_ok("payment_links.status", "{\"id\":\"2eab4ca0-1724-4c90-a734-0fb5ffc4391c\"}", f->body, f->body_len);
        CHECK(contains(json, "\"initiator_name\":\"David Kariuki Mwangi\""), "initiator_name: %s", str_or(json));
        k2_string_free(json);
    }

    f = k2v_fixture("response.token_info.json");
    if (f) {
        json = parse_ok("tokens.info", "{}", f->body, f->body_len);
        CHECK(contains(json, "\"created_at\":\"1613376955\""), "token info created_at as text: %s", str_or(json));
        k2_string_free(json);
    }
}

/* Exact money: an amount beyond double precision keeps every digit through
 * k2_parse_response (under the operation's name and its old name: the same
 * text), k2_parse_webhook and k2_parse_result. Amounts in result JSON are JSON
 * strings of the exact decimal digits (never numbers), read back exactly by
 * k2_json_get(). */

static void test_exact_money(void) {
    const char *link = "{\"data\":{\"id\":\"x\",\"type\":\"payment_link\",\"attributes\":{\"status\":\"Processed\","
                       "\"till_number\":\"112233\",\"currency\":\"KES\",\"amount\":\"" BIG_AMOUNT "\","
                       "\"payment_link\":{\"status\":\"Active\"}}}}";
    char *a = parse_ok("payment_links.status", "{\"id\":\"x\"}", (const uint8_t *)link, strlen(link));
    char *b = parse_ok("get_payment_link", "{\"id\":\"x\"}", (const uint8_t *)link, strlen(link));
    CHECK(contains(a, BIG_AMOUNT_JSON), "k2_parse_response amount: %s", str_or(a));
    CHECK(field_is(a, "amount", BIG_AMOUNT), "k2_parse_response amount by path");
    CHECK(!has_number_amount(a), "k2_parse_response: number amount: %s", str_or(a));
    CHECK(a && b && strcmp(a, b) == 0, "same text under the old name: %s / %s", str_or(a), str_or(b));
    k2_string_free(a);
    k2_string_free(b);

    const char *webhook =
        "{\"topic\":\"buygoods_transaction_received\",\"id\":\"w1\",\"created_at\":\"2026-05-01T10:43:20+03:00\","
        "\"event\":{\"type\":\"Buygoods Transaction\",\"resource\":{\"id\":\"r1\",\"amount\":\"" BIG_AMOUNT "\","
        "\"status\":\"Received\",\"system\":\"Lipa Na M-PESA\",\"currency\":\"KES\",\"reference\":\"OJM6Q1W84K\","
        "\"till_number\":\"000000\",\"sender_phone_number\":\"+254999999999\","
        "\"origination_time\":\"2026-05-01T10:43:19+03:00\",\"sender_first_name\":\"Jane\"}},"
        "\"_links\":{\"self\":\"https://sandbox.kopokopo.com/webhook_events/w1\","
        "\"resource\":\"https://sandbox.kopokopo.com/financial_transaction/r1\"}}";
    const char *result =
        "{\"data\":{\"id\":\"p1\",\"type\":\"incoming_payment\",\"attributes\":{\"initiation_time\":"
        "\"2020-10-19T09:24:48.622+03:00\",\"status\":\"Success\",\"event\":{\"type\":\"Incoming Payment Request\","
        "\"resource\":{\"id\":\"r1\",\"reference\":\"OJJ1MPU40Z\",\"origination_time\":\"2020-10-19T09:24:54+03:00\","
        "\"sender_phone_number\":\"+254999999999\",\"amount\":\"" BIG_AMOUNT "\",\"currency\":\"KES\","
        "\"till_number\":\"K000000\",\"system\":\"Lipa Na M-PESA\",\"status\":\"Received\"},\"errors\":null},"
        "\"metadata\":null,\"_links\":{\"callback_url\":\"https://a.example/cb\","
        "\"self\":\"https://sandbox.kopokopo.com/api/v2/incoming_payments/p1\"}}}}";
    const char *bodies[] = {webhook, result};
    const char *paths[] = {"resource.amount", "value.event.resource.amount"};
    parse_fn fns[] = {k2_parse_webhook, k2_parse_result};
    for (size_t i = 0; i < 2; i++) {
        const uint8_t *body = (const uint8_t *)bodies[i];
        size_t len = strlen(bodies[i]);
        char *sig = NULL, *json = NULL;
        k2_error *err = NULL;
        CHECK(k2_sign(body, len, "key", &sig) == K2_STATUS_OK, "sign");
        k2_status st = fns[i](body, len, sig, "key", &json, &err);
        CHECK(st == K2_STATUS_OK && contains(json, BIG_AMOUNT_JSON), "%s amount: %s %s %s",
              i ? "k2_parse_result" : "k2_parse_webhook", k2_status_name(st), str_or(k2_error_message(err)),
              str_or(json));
        CHECK(field_is(json, paths[i], BIG_AMOUNT), "%s amount by path", paths[i]);
        CHECK(!has_number_amount(json), "number amount: %s", str_or(json));
        k2_string_free(json);
        k2_string_free(sig);
        k2_error_free(err);
    }
}

/* k2_json_get / k2_json_length: paths, absent and null values, kinds, bad input. */
static void test_json_get(void) {
    const char *doc = "{\"destinations\":[{\"amount\":\"" BIG_AMOUNT "\",\"favourite\":true},"
                      "{\"amount\":\"1.50\",\"n\":12345678901234567.89}],\"s\":\"a\\\"b\",\"z\":null,\"o\":{\"k\":1}}";
    CHECK(field_is(doc, "destinations[0].amount", BIG_AMOUNT), "array element");
    CHECK(field_is(doc, "destinations[1].amount", "1.50"), "digits as written");
    CHECK(field_is(doc, "destinations[1].n", BIG_AMOUNT), "a number's text, exactly");
    CHECK(field_is(doc, "destinations[0].favourite", "true"), "boolean");
    CHECK(field_is(doc, "s", "a\"b"), "unescaped string");
    CHECK(field_is(doc, "o", "{\"k\":1}"), "object as JSON text");
    CHECK(field_is(doc, "", doc), "the whole document");
    const char *absent[] = {"z", "z.deeper", "missing", "destinations[2]", "o.x"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        char *value = (char *)0x1;
        k2_error *err = NULL;
        CHECK(k2_json_get(doc, absent[i], &value, &err) == K2_STATUS_OK && value == NULL && err == NULL, "absent %s",
              absent[i]);
        k2_error_free(err);
    }
    size_t n = 99;
    CHECK(k2_json_length(doc, "destinations", &n, NULL) == K2_STATUS_OK && n == 2, "length %zu", n);
    CHECK(k2_json_length(doc, "o", &n, NULL) == K2_STATUS_OK && n == 1, "object length %zu", n);
    CHECK(k2_json_length(doc, "z", &n, NULL) == K2_STATUS_OK && n == 0, "null length %zu", n);
    n = 99;
    k2_error *err = NULL;
    k2_status st = k2_json_length(doc, "s", &n, &err);
    CHECK(n == 0, "length cleared on failure");
    expect_err("length of a string", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "path");
    const char *bad_paths[] = {"destinations.0.amount", "a..b", ".a", "destinations[", "destinations[x]", "s.x",
                               "destinations.amount"};
    for (size_t i = 0; i < sizeof bad_paths / sizeof bad_paths[0]; i++) {
        char *value = (char *)0x1;
        err = NULL;
        st = k2_json_get(doc, bad_paths[i], &value, &err);
        CHECK(value == NULL, "value_out cleared");
        expect_err(bad_paths[i], st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "path");
    }
    char *value = NULL;
    err = NULL;
    st = k2_json_get("{\"a\":", "a", &value, &err);
    expect_err("not JSON", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "json");
    err = NULL;
    st = k2_json_get(NULL, "a", &value, &err);
    expect_err("NULL json", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "json");
    err = NULL;
    st = k2_json_get(doc, NULL, &value, &err);
    expect_err("NULL path", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "path");
    err = NULL;
    st = k2_json_get(doc, NOT_UTF8, &value, &err);
    expect_err("non-UTF-8 path", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "path");
    err = NULL;
    st = k2_json_get(doc, "s", NULL, &err);
    expect_err("NULL value_out", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "value_out");
    err = NULL;
    st = k2_json_length(doc, "destinations", NULL, &err);
    expect_err("NULL length_out", st, err, K2_STATUS_INVALID_ARGUMENT, "invalid_argument", "length_out");
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
        test_exact_money();
        test_json_get();
        test_request_constants();
    } else if ((strcmp(mode, "mock") == 0 || strcmp(mode, "money") == 0) && r->argc > 2) {
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
        if (strcmp(mode, "money") == 0)
            test_mock_money();
        else
            test_mock();
    } else {
        fprintf(stderr, "usage: %s unit | mock URL_FILE | money URL_FILE\n", r->argv[0]);
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
