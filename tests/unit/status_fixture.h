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
/* Feeds more objects (a watch event type, or NULL for a list item). */
void status_fixture_apply(struct status *m, const char *type, const char *json);

#endif
