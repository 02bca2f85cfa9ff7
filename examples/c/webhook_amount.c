/*
 * Reading a webhook's amount exactly, without a JSON library and without a
 * float: verifies and parses a signed webhook (k2_parse_webhook), reads its
 * fields by path (k2_json_get), and turns the amount, a string of its exact
 * decimal digits, into integer cents.
 *
 *   webhook_amount BODY_FILE SIGNATURE
 *   webhook_amount --demo        (signs a sample buygoods webhook whose amount,
 *                                 12345678901234567.89, has more digits than a
 *                                 double holds, and checks every digit survives)
 *
 * The API key comes from K2_API_KEY (default: k2 mock's).
 *
 * Every amount in the JSON the library returns is a JSON string holding the
 * exact digits ("amount":"150.55"), never a JSON number, so any JSON library
 * (cJSON, jansson, ...) would also give the text. Never convert it with
 * strtod()/atof(): use integer minor units, as here, or a decimal type.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kopokopo.h>

#define MAX_BODY ((size_t)1 << 20) /* 1 MiB; refuse larger bodies (413) before reading them whole */

/* Reads a whole file of at most MAX_BODY bytes (NULL if missing or too large). */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = malloc(MAX_BODY + 1);
    size_t n = 0, r;
    while (buf && n <= MAX_BODY && (r = fread(buf + n, 1, MAX_BODY + 1 - n, f)) > 0)
        n += r;
    fclose(f);
    if (buf && n > MAX_BODY) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* "150.55" -> 15055 cents, exactly (at most two decimals; no float anywhere).
 * Returns false for text that is not such an amount or does not fit. */
static bool amount_to_cents(const char *text, int64_t *cents) {
    bool negative = *text == '-';
    const char *p = negative ? text + 1 : text;
    int64_t units = 0;
    int decimals = -1, digits = 0;
    for (; *p; p++) {
        if (*p == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || decimals == 2)
            return false;
        if (units > (INT64_MAX - 9) / 10)
            return false;
        units = units * 10 + (*p - '0');
        digits++;
        if (decimals >= 0)
            decimals++;
    }
    if (digits == 0)
        return false;
    for (int d = decimals < 0 ? 0 : decimals; d < 2; d++) {
        if (units > INT64_MAX / 10)
            return false;
        units *= 10;
    }
    *cents = negative ? -units : units;
    return true;
}

/* Field `path` of `json` as text (free it with k2_string_free), or NULL when absent or null. */
static char *field(const char *json, const char *path) {
    char *value = NULL;
    k2_error *err = NULL;
    if (k2_json_get(json, path, &value, &err) != K2_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", path, k2_error_message(err));
        k2_error_free(err);
        return NULL;
    }
    return value;
}

/* Verifies and parses a webhook, then prints its topic, payer and amount.
 * Returns the HTTP status a handler would answer; *amount_out (if not NULL)
 * receives the amount text (free it with k2_string_free). */
static int handle(const uint8_t *body, size_t len, const char *signature, const char *api_key, char **amount_out) {
    char *event = NULL;
    k2_error *err = NULL;
    k2_status st = k2_parse_webhook(body, len, signature, api_key, &event, &err);
    if (st != K2_STATUS_OK) {
        printf("refused: %s (%s)\n", k2_error_code(err), k2_error_message(err));
        k2_error_free(err);
        return st == K2_STATUS_SIGNATURE_INVALID ? 401 : 400;
    }
    /* The K2 structure keeps the transaction under resource (beside its kind); the
     * Daraja structure (Safaricom's names) keeps it at the top level. */
    char *structure = field(event, "structure");
    bool daraja = structure && strcmp(structure, "daraja") == 0;
    char *topic = field(event, "topic");
    char *amount = field(event, daraja ? "TransAmount" : "resource.amount");
    char *payer = field(event, daraja ? "FirstName" : "resource.sender_first_name");
    char *currency = daraja ? NULL : field(event, "resource.currency");

    int64_t cents = 0;
    printf("topic:  %s\n", topic ? topic : "-");
    printf("payer:  %s\n", payer ? payer : "-");
    if (amount && amount_to_cents(amount, &cents))
        printf("amount: %s %s (%lld cents)\n", amount, currency ? currency : "KES", (long long)cents);
    else
        printf("amount: %s (no amount for this topic)\n", amount ? amount : "-");
    if (amount_out) {
        *amount_out = amount;
        amount = NULL;
    }
    k2_string_free(structure);
    k2_string_free(topic);
    k2_string_free(amount);
    k2_string_free(payer);
    k2_string_free(currency);
    k2_string_free(event);
    return 200;
}

int main(int argc, char **argv) {
    const char *api_key = getenv("K2_API_KEY");
    if (!api_key || !*api_key)
        api_key = "k2-mock-api-key";

    if (argc == 2 && strcmp(argv[1], "--demo") == 0) {
        const char *body =
            "{\"topic\":\"buygoods_transaction_received\",\"id\":\"2133dbfb-24b9-40fc-ae57-2d7559785760\","
            "\"created_at\":\"2026-01-01T10:43:20+03:00\",\"event\":{\"type\":\"Buygoods Transaction\","
            "\"resource\":{\"id\":\"458712f\",\"amount\":12345678901234567.89,\"status\":\"Received\","
            "\"currency\":\"KES\",\"reference\":\"OJJ1MPU40Z\",\"till_number\":\"000000\","
            "\"sender_first_name\":\"Jane\"}},"
            "\"_links\":{\"self\":\"https://sandbox.kopokopo.com/webhook_events/2133dbfb\"}}";
        size_t len = strlen(body);
        char *sig = NULL;
        if (k2_sign((const uint8_t *)body, len, api_key, &sig) != K2_STATUS_OK)
            return 1;
        char *amount = NULL;
        int status = handle((const uint8_t *)body, len, sig, api_key, &amount);
        int64_t cents = 0;
        bool exact = status == 200 && amount && strcmp(amount, "12345678901234567.89") == 0 &&
                     amount_to_cents(amount, &cents) && cents == INT64_C(1234567890123456789);
        printf("exact: %s\n", exact ? "yes, every digit" : "NO");
        k2_string_free(amount);
        k2_string_free(sig);
        return exact ? 0 : 1;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: %s BODY_FILE SIGNATURE | --demo\n", argv[0]);
        return 2;
    }
    size_t len = 0;
    uint8_t *body = read_file(argv[1], &len);
    if (!body) {
        fprintf(stderr, "%s: cannot read it, or over %zu bytes\n", argv[1], MAX_BODY);
        return 2;
    }
    int status = handle(body, len, argv[2], api_key, NULL);
    free(body);
    return status == 200 ? 0 : 1;
}
