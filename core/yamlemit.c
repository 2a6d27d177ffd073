/* core/yamlemit.c: libyaml emitter helpers shared by the answers and secrets
 * writers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/yamlemit.h"
#include "core/yamlout.h"

static int emit_write(void *data, unsigned char *buffer, size_t size)
{
    strbuf_add(data, buffer, size);
    return 1;
}

int yamlemit_scalar(yaml_emitter_t *em, const char *s, bool force_quotes)
{
    yaml_event_t ev;
    bool q = force_quotes || yamlout_needs_quotes(s);
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), !q, 1,
                                 q ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int yamlemit_plain(yaml_emitter_t *em, const char *s)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                 YAML_PLAIN_SCALAR_STYLE);
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int yamlemit_begin(yaml_emitter_t *em, struct strbuf *out)
{
    yaml_event_t ev;
    if (!yaml_emitter_initialize(em))
        return -1;
    yaml_emitter_set_output(em, emit_write, out);
    yaml_emitter_set_unicode(em, 1);
    yaml_emitter_set_width(em, 100);
    yaml_emitter_set_indent(em, 2);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    if (!yaml_emitter_emit(em, &ev))
        return -1;
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    if (!yaml_emitter_emit(em, &ev))
        return -1;
    return yamlemit_map_start(em);
}

int yamlemit_end(yaml_emitter_t *em)
{
    yaml_event_t ev;
    if (yamlemit_map_end(em) < 0)
        return -1;
    yaml_document_end_event_initialize(&ev, 1);
    if (!yaml_emitter_emit(em, &ev))
        return -1;
    yaml_stream_end_event_initialize(&ev);
    if (!yaml_emitter_emit(em, &ev))
        return -1;
    return yaml_emitter_flush(em) ? 0 : -1;
}

int yamlemit_map_start(yaml_emitter_t *em)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int yamlemit_map_end(yaml_emitter_t *em)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int yamlemit_seq_start(yaml_emitter_t *em, bool flow)
{
    yaml_event_t ev;
    yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int yamlemit_seq_end(yaml_emitter_t *em)
{
    yaml_event_t ev;
    yaml_sequence_end_event_initialize(&ev);
    return yaml_emitter_emit(em, &ev) ? 0 : -1;
}
