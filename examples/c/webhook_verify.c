/*
 * Webhook verification: checks X-KopoKopo-Signature over the raw body and
 * prints the typed event (or result) as JSON.
 *
 *   webhook_verify BODY_FILE SIGNATURE [--result]
 *   webhook_verify --demo            (signs and verifies a sample event)
 *
 * The API key comes from K2_API_KEY (default: k2 mock's).
 * Always verify the bytes exactly as received: never re-serialised JSON.
 * Bodies over MAX_BODY (1 MiB) are refused (an HTTP handler answers 413)
 * before they are read whole: the signature can only be checked once the
 * body is in memory, so without a cap any client could make the receiver
 * buffer an arbitrary amount.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kopokopo.h>

#define MAX_BODY ((size_t)1 << 20) /* 1 MiB; Kopo Kopo's events are a few KiB */

/* Reads at most MAX_BODY bytes; *too_large is set (and NULL returned) when there are more. */
static uint8_t *read_file(const char *path, size_t *len, bool *too_large) {
    *too_large = false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    /* One byte of room past the cap tells "exactly MAX_BODY" from "more". */
    uint8_t *buf = malloc(MAX_BODY + 1);
    size_t n = 0, r;
    while (buf && n <= MAX_BODY && (r = fread(buf + n, 1, MAX_BODY + 1 - n, f)) > 0)
        n += r;
    fclose(f);
    if (buf && n > MAX_BODY) {
        free(buf);
        *too_large = true;
        return NULL;
    }
    *len = n;
    return buf;
}

/* What a webhook handler does with a request: verify, then parse. Returns the HTTP status to answer. */
static int handle(const uint8_t *body, size_t len, const char *signature, const char *api_key, bool result) {
    bool valid = false;
    if (k2_verify_signature(body, len, signature, api_key, &valid) != K2_STATUS_OK || !valid) {
        printf("signature: invalid -> answer 401\n");
        return 401;
    }
    char *json = NULL;
    k2_error *err = NULL;
    k2_status st = result ? k2_parse_result(body, len, signature, api_key, &json, &err)
                          : k2_parse_webhook(body, len, signature, api_key, &json, &err);
    if (st != K2_STATUS_OK) {
        printf("payload: %s (%s) -> answer 400\n", k2_error_code(err), k2_error_message(err));
        k2_error_free(err);
        return 400;
    }
    printf("signature: valid\nevent: %s\n", json);
    k2_string_free(json);
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
            "\"resource\":{\"id\":\"458712f\",\"amount\":\"100.0\",\"status\":\"Received\",\"currency\":\"KES\","
            "\"reference\":\"OJJ1MPU40Z\",\"till_number\":\"000000\",\"sender_first_name\":\"Jane\"}},"
            "\"_links\":{\"self\":\"https://sandbox.kopokopo.com/webhook_events/2133dbfb\"}}";
        size_t len = strlen(body);
        char *sig = NULL;
        if (k2_sign((const uint8_t *)body, len, api_key, &sig) != K2_STATUS_OK)
            return 1;
        int ok = handle((const uint8_t *)body, len, sig, api_key, false) == 200;
        /* One changed byte and the same signature: refused. */
        char *tampered = malloc(len + 1);
        if (!tampered)
            return 1;
        memcpy(tampered, body, len + 1);
        tampered[len - 3] = 'X';
        int refused = handle((const uint8_t *)tampered, len, sig, api_key, false) == 401;
        free(tampered);
        k2_string_free(sig);
        return ok && refused ? 0 : 1;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: %s BODY_FILE SIGNATURE [--result] | --demo\n", argv[0]);
        return 2;
    }
    size_t len = 0;
    bool too_large = false;
    uint8_t *body = read_file(argv[1], &len, &too_large);
    if (too_large) {
        printf("body: over %zu bytes -> answer 413\n", MAX_BODY);
        return 1;
    }
    if (!body) {
        perror(argv[1]);
        return 2;
    }
    bool result = argc > 3 && strcmp(argv[3], "--result") == 0;
    int status = handle(body, len, argv[2], api_key, result);
    free(body);
    return status == 200 ? 0 : 1;
}
