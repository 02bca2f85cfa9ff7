/*
 * Clean-room smoke test of the kopokopo C tarball (scripts/dist-check.sh),
 * built twice: with CMake (find_package(kopokopo)) and with pkg-config.
 *
 *   smoke BODY_FILE SIGNATURE      (K2_BASE_URL: a running `k2 mock`)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kopokopo.h>

#define KEY "k2-mock-api-key"

static int fail(const char *what, k2_status st, k2_error *err) {
    fprintf(stderr, "%s failed: %s: %s\n", what, k2_status_name(st), err ? k2_error_message(err) : "");
    k2_error_free(err);
    return 1;
}

/* The string value of "key" in a flat JSON object (test helper: no escapes). */
static void field(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *p = strstr(json, pattern);
    out[0] = 0;
    if (!p) return;
    p += strlen(pattern);
    const char *end = strchr(p, '"');
    snprintf(out, size, "%.*s", (int)(end - p), p);
}

int main(int argc, char **argv) {
    if (argc != 3 || !getenv("K2_BASE_URL")) {
        fprintf(stderr, "usage: K2_BASE_URL=... %s BODY_FILE SIGNATURE\n", argv[0]);
        return 2;
    }
    static uint8_t body[65536];
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    size_t len = fread(body, 1, sizeof body, f);
    fclose(f);

    char *hex = NULL;
    k2_error *err = NULL;
    k2_status st = k2_sign(body, len, KEY, &hex);
    if (st != K2_STATUS_OK || strcmp(hex, argv[2]) != 0) {
        fprintf(stderr, "k2_sign: %s, `k2 sign` says %s\n", hex ? hex : "(null)", argv[2]);
        return 1;
    }
    k2_string_free(hex);
    bool valid = false, tampered = true;
    k2_verify_signature(body, len, argv[2], KEY, &valid);
    body[len] = ' ';
    k2_verify_signature(body, len + 1, argv[2], KEY, &tampered);
    if (!valid || tampered) { fprintf(stderr, "k2_verify_signature: %d %d\n", valid, tampered); return 1; }
    char *event = NULL;
    st = k2_parse_webhook(body, len, argv[2], KEY, &event, &err);
    if (st != K2_STATUS_OK) return fail("k2_parse_webhook", st, err);
    char topic[128];
    field(event, "topic", topic, sizeof topic);
    k2_string_free(event);
    if (strcmp(topic, "buygoods_transaction_received") != 0) { fprintf(stderr, "topic %s\n", topic); return 1; }

    k2_config_builder *builder = NULL;
    k2_config *config = NULL;
    k2_client *client = NULL;
    st = k2_config_builder_new("k2-mock-client-id", "k2-mock-client-secret", &builder, &err);
    if (st == K2_STATUS_OK) st = k2_config_builder_set_api_key(builder, KEY, &err);
    if (st == K2_STATUS_OK) st = k2_config_builder_set_base_url(builder, getenv("K2_BASE_URL"), &err);
    if (st != K2_STATUS_OK) return fail("k2_config_builder", st, err);
    st = k2_config_builder_build(builder, &config, &err);
    if (st != K2_STATUS_OK) return fail("k2_config_builder_build", st, err);
    st = k2_client_new(config, &client, &err);
    k2_config_free(config);
    if (st != K2_STATUS_OK) return fail("k2_client_new", st, err);

    char *created = NULL;
    st = k2_incoming_payments_create(client,
        "{\"till_number\": \"K000000\", \"phone_number\": \"0712345678\", \"amount\": \"150.00\","
        " \"callback_url\": \"https://example.com/k2/results\"}", &created, &err);
    if (st != K2_STATUS_OK) return fail("k2_incoming_payments_create", st, err);
    char location[512];
    field(created, "location", location, sizeof location);
    k2_string_free(created);

    char status[64] = "Pending";
    for (int i = 0; i < 40 && strcmp(status, "Pending") == 0; i++) {
        char *payment = NULL;
        st = k2_incoming_payments_status(client, location, &payment, &err);
        if (st != K2_STATUS_OK) return fail("k2_incoming_payments_status", st, err);
        field(payment, "status", status, sizeof status);
        k2_string_free(payment);
        if (strcmp(status, "Pending") == 0) {
            struct timespec ts = {0, 250 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    k2_client_free(client);
    printf("C: libkopokopo %s: signature ok, webhook %s, STK push %s -> %s\n", k2_version(), topic, location, status);
    return strcmp(status, "Success") == 0 ? 0 : 1;
}
