/* What the front ends (the `lading` command, and `lading serve` to come)
 * share: turning the process environment into library options, and one
 * table from library error codes to exit statuses and HTTP statuses, with
 * the hints a human gets for each reason. Front-end code: it sees only the
 * public API (include/lading/), never the library's internals. */
#ifndef LADING_FRONT_H
#define LADING_FRONT_H

#include <stddef.h>

#include "lading/lading.h"

/* Fills the network, credential and temporary-directory options from the
 * environment, as a command-line user expects (docs/usage.md,
 * "Environment"): LADING_HTTP_CONNECT_TIMEOUT, _LOW_SPEED_TIME,
 * _LOW_SPEED_LIMIT, _TIMEOUT, _RETRIES, _RETRY_DELAY, _MAX_SIZE,
 * _CA_BUNDLE; https_proxy/HTTPS_PROXY/all_proxy/ALL_PROXY/http_proxy and
 * no_proxy/NO_PROXY; DOCKER_CONFIG or ~/.docker (HOME) for docker_config;
 * TMPDIR for tmp_dir. Strings point into the environment (or `store`, of
 * `store_cap` bytes, for the docker config path). Returns 0, or -1 with a
 * message in `err` naming the variable and the allowed range. */
int front_options_from_env(lading_options *o, char *store, size_t store_cap, char *err, size_t err_cap);

/* Parses a LADING_HTTP_* style number: a decimal with an optional
 * fraction, from min to max. 0 on success. */
int front_parse_number(const char *s, double min, double max, double *out);

/* The process exit status for a library code (negative or positive):
 * 0 ok, 1 internal, 2 usage, 3 target/database/network, 130 cancelled. */
int front_exit_status(int code);
/* The HTTP status a server answers for a library code (docs/errors.md):
 * invalid 400, auth 401, denied 403, not_found 404, policy 403, limit 413,
 * format/target/digest/unsupported 422, busy 409, timeout 504, network and
 * certificate 502, db 503, cancelled 499, nomem/io/other 500. */
int front_http_status(int code);
/* A hint for a human, for a reason token (lading_error.reason) and the
 * command's vocabulary ("use --insecure for a self-signed test registry"),
 * or NULL. Static. */
const char *front_cli_hint(const lading_error *e);

#endif
