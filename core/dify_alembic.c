/* core/dify_alembic.c: migration heads per Dify release (see
 * dify_alembic.h). langgenius/dify's repository is larger than what could
 * be copied here, so the trees were read where they could be had: forks
 * that carry langgenius/dify's history (the release's version-bump commit
 * of langgenius/dify, by its full id), or a copy of a release's tree whose
 * api/pyproject.toml names the version; every head's migration file was
 * checked to exist in langgenius/dify under the same path. */
#include "config.h"

#include <string.h>

#include "core/dify_alembic.h"
#include "core/util.h"

#define UPSTREAM(commit, pr)                                                                       \
    "langgenius/dify api/migrations/versions at " commit " (the version bump, " pr                 \
    "), read in the fork xiaoxishui123/dify-1.7.0"

/* Newest first, as core/dify_versions. */
const struct dify_alembic_head dify_alembic_heads[] = {
    {"1.13.3", "6b5f9f8b1a2c",
     "langgenius/dify 1.13.3 api/migrations/versions (head "
     "2026_03_04_1600-6b5f9f8b1a2c_add_user_id_to_workflow_draft_variables.py), read in the copy "
     "eastboat2001/dify-1.13.3app-permission f2ae814 (api/pyproject.toml version 1.13.3; its one "
     "added migration revises 6b5f9f8b1a2c)"},
    {"1.9.1", "68519ad5cd18",
     "langgenius/dify 1.9.1 api/migrations/versions (head "
     "2025_09_17_1515-68519ad5cd18_knowledge_pipeline_migrate.py), read in the copy "
     "Cokewithice08/dify-1.9.1 339630c (api/pyproject.toml version 1.9.1)"},
    {"1.6.0", "58eb7bdb93fe", UPSTREAM("390e4cc0bf203a979e13694ed99ec9fda6b42cc8", "#22136")},
    {"1.5.0", "0ab65e1cc7fa", UPSTREAM("2d5cdbe79c9568261731727b9bfc00cb55600e33", "#21415")},
    {"1.2.0", "6a9f914f656c", UPSTREAM("2c2efe2e1e46751206dfa5972790cef6ad31a93f", "#17675")},
    {"1.0.0", "08ec4f75af5e",
     UPSTREAM("c0358d8d0c600a4d97589235baa7ff4a7144b04d", "release/1.0.0 #14478")},
};
const size_t dify_nalembic_heads = ARRAY_LEN(dify_alembic_heads);

const struct dify_alembic_head *dify_alembic_find(const char *api_version)
{
    for (size_t i = 0; api_version && i < dify_nalembic_heads; i++)
        if (strcmp(dify_alembic_heads[i].api, api_version) == 0)
            return &dify_alembic_heads[i];
    return NULL;
}
