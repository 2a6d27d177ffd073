/* core/upstream_files.c: the names the Dify api imports from the upstream
 * files an extra file may replace (see upstream_files.h).
 *
 * api/core/llm_generator/prompts.py: the module-level imports of
 *   api/core/llm_generator/llm_generator.py (langgenius/dify 00c35039),
 *   api/core/llm_generator/output_parser/rule_config_generator.py and
 *   suggested_questions_after_answer.py (2184763c),
 *   api/core/llm_generator/output_parser/structured_output.py (03660c19),
 * and the two INSTRUCTION_GENERATE_TEMPLATE_* names the console's
 * generator controller imports when a request needs them. Dify 1.x api;
 * a release may add names, so a replacement starts from the file of the
 * version it runs. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "core/upstream_files.h"
#include "core/util.h"

static const char *const prompts_names[] = {
    "CONVERSATION_TITLE_PROMPT",
    "GENERATOR_QA_PROMPT",
    "JAVASCRIPT_CODE_GENERATOR_PROMPT_TEMPLATE",
    "PYTHON_CODE_GENERATOR_PROMPT_TEMPLATE",
    "LLM_MODIFY_CODE_SYSTEM",
    "LLM_MODIFY_PROMPT_SYSTEM",
    "SUGGESTED_QUESTIONS_MAX_TOKENS",
    "SUGGESTED_QUESTIONS_TEMPERATURE",
    "SUGGESTED_QUESTIONS_AFTER_ANSWER_INSTRUCTION_PROMPT",
    "SYSTEM_STRUCTURED_OUTPUT_GENERATE",
    "STRUCTURED_OUTPUT_PROMPT",
    "WORKFLOW_RULE_CONFIG_PROMPT_GENERATE_TEMPLATE",
    "RULE_CONFIG_PROMPT_GENERATE_TEMPLATE",
    "RULE_CONFIG_PARAMETER_GENERATE_TEMPLATE",
    "RULE_CONFIG_STATEMENT_GENERATE_TEMPLATE",
    "INSTRUCTION_GENERATE_TEMPLATE_PROMPT",
    "INSTRUCTION_GENERATE_TEMPLATE_CODE",
    NULL,
};

const struct upstream_file upstream_files[] = {
    {"/app/api/core/llm_generator/prompts.py", prompts_names,
     "langgenius/dify api/core/llm_generator/llm_generator.py (00c35039), "
     "output_parser/rule_config_generator.py and suggested_questions_after_answer.py "
     "(2184763c), output_parser/structured_output.py (03660c19), "
     "controllers/console/app/generator.py; Dify 1.x"},
};
const size_t upstream_nfiles = ARRAY_LEN(upstream_files);

const struct upstream_file *upstream_file_find(const char *mount_path)
{
    for (size_t i = 0; mount_path && i < upstream_nfiles; i++)
        if (strcmp(upstream_files[i].mount_path, mount_path) == 0)
            return &upstream_files[i];
    return NULL;
}

static bool ident_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int upstream_defines(const char *text, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < len;) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - line) : len - i;
        const char *p = line;
        /* def NAME( / class NAME at the start of a line. */
        if (ll > 4 && strncmp(p, "def ", 4) == 0)
            p += 4;
        else if (ll > 6 && strncmp(p, "class ", 6) == 0)
            p += 6;
        if ((size_t)(p - line) + n <= ll && strncmp(p, name, n) == 0 &&
            ((size_t)(p - line) + n == ll || !ident_char(p[n]))) {
            const char *q = p + n;
            while (q < line + ll && (*q == ' ' || *q == '\t'))
                q++;
            /* NAME = ..., NAME: type = ..., def NAME(..., class NAME... */
            if (p != line || (q < line + ll && (*q == '=' || *q == ':') &&
                              !(q + 1 < line + ll && q[0] == '=' && q[1] == '=')))
                return 1;
        }
        i += ll + 1;
    }
    return 0;
}
