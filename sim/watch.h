/* sim/watch.h: ?watch=1 streams: newline-separated {"type","object"} events,
 * chunked, replayed from the history after the requested resourceVersion
 * (410 Gone as an ERROR event when it is older than the history), with
 * bookmarks, timeoutSeconds and the scenario's dropped-watch faults. */
#ifndef SIM_WATCH_H
#define SIM_WATCH_H

struct req;
struct reply;

/* Turns rep into a stream for the watch request r (takes sim_lock itself). */
void watch_start(struct req *r, struct reply *rep);

#endif
