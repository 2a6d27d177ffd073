/* tests/unit/kube_testserver.h: a canned-reply HTTP server for the
 * Kubernetes client tests, in the style of curl's tests/data. A case file
 * (tests/data/kube/caseN) lists exchanges in order:
 *
 *   === request                 the request line and headers that must match
 *   GET /api/v1/pods?limit=500
 *   Authorization: Bearer tok
 *   === body                    (optional) the exact request body
 *   ...
 *   === reply                   status line, headers, blank line, body
 *   HTTP/1.1 200 OK
 *   Content-Type: application/json
 *   X-Test-Drop: 1              close before the advertised length was sent
 *   X-Test-Hold: 1              keep the connection open after the body
 *   X-Test-Chunk: 7             write the body 7 bytes at a time
 *   X-Test-Trim: 1              no newline after the body's last line
 *
 *   {"kind":"PodList",...}
 *
 * The server runs in a thread on 127.0.0.1 with a free port, one request per
 * connection, and records every difference from the script. */
#ifndef TESTS_UNIT_KUBE_TESTSERVER_H
#define TESTS_UNIT_KUBE_TESTSERVER_H

#include <stddef.h>

struct kube_config;
struct testserver;

/* Loads the case file and starts listening; NULL (with a message on stderr)
 * when the case cannot be read. */
struct testserver *testserver_start(const char *case_path);
int testserver_port(const struct testserver *ts);
/* Exchanges served so far and in the script. */
size_t testserver_served(struct testserver *ts);
size_t testserver_expected(const struct testserver *ts);
/* Differences found ("" when the requests were exactly as scripted); the
 * caller frees. */
char *testserver_errors(struct testserver *ts);
void testserver_stop(struct testserver *ts);

/* A client configuration for the server: namespace "dify", the bearer token
 * given, user_desc as errors name the user. Freed by the client that takes
 * it (kube_client_new). */
struct kube_config *testserver_config(const struct testserver *ts, const char *token,
                                      const char *user_desc);

#endif
