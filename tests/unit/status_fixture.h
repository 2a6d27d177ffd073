/* tests/unit/status_fixture.h: a status model (core/status.h) without a
 * cluster: objects from a JSON file ({"items":[...]}, any watched kinds)
 * fed into its stores, at a fixed clock, so rows, goldens and JSON never
 * change with time. */
#ifndef TESTS_UNIT_STATUS_FIXTURE_H
#define TESTS_UNIT_STATUS_FIXTURE_H

struct status;

/* The fixed clock: 2026-12-01T10:10:00Z. */
#define FIXTURE_NOW 1796119800LL

/* A model of namespace "dify" fed from tests/data/dashboard/NAME. */
struct status *status_fixture(const char *name);
/* The same with a client that reaches nothing (127.0.0.1:9), for screens
 * whose actions need one to ask their question; requests fail if sent. */
struct kube_client;
struct loop;
struct status *status_fixture_client(const char *name, struct loop *l, struct kube_client *c);
struct kube_client *status_fixture_dead_client(struct loop *l);
/* Feeds more objects (a watch event type, or NULL for a list item). */
void status_fixture_apply(struct status *m, const char *type, const char *json);

#endif
