# Example replacement for api/core/llm_generator/prompts.py, mounted by
# existing-manifests.yaml through a ConfigMap (subPath mount).
#
# The api imports every name below from this module at start; a replacement
# that leaves one out stops api and worker with an ImportError (dify-tui
# validate warns about it). These are short prompts written for this example,
# keeping the placeholders the api fills: {{NAME}} for its template parser,
# {language} for str.format (so no other single braces in that one), and
# {{schema}} for a plain replace. A real replacement starts from the file of
# the Dify version you run and changes only the prompts you mean to change.

# Conversation titles: the api appends the user's message and reads the
# "Your Output" key of the JSON reply (it falls back to the message itself).
CONVERSATION_TITLE_PROMPT = """Name this conversation in a few words, in the language of the user's
message. Reply with one JSON object and nothing else:
{"Language Type": "<language>", "Your Reasoning": "<one sentence>", "Your Output": "<title>"}

User message:
"""

PYTHON_CODE_GENERATOR_PROMPT_TEMPLATE = """Write {{CODE_LANGUAGE}} code for this request:
{{INSTRUCTION}}

Rules: define a function named main that returns a dict with at least one key, for
example {'result': value}; give the arguments type hints; use only the standard
library (json, datetime, math, random, re, string, time, uuid, base64, hashlib,
collections, itertools); reply with the code only, no markdown fences, no prose.
"""

JAVASCRIPT_CODE_GENERATOR_PROMPT_TEMPLATE = """Write {{CODE_LANGUAGE}} code for this request:
{{INSTRUCTION}}

Rules: define a function named main that returns an object of the form
{result: value}; document its arguments with JSDoc; reply with the code only,
no markdown fences, no prose.
"""

SUGGESTED_QUESTIONS_AFTER_ANSWER_INSTRUCTION_PROMPT = (
    "Suggest the three questions the user is most likely to ask next, each under 20 "
    "characters, in the language of the assistant's last answer. Reply with a JSON array "
    'of three strings only, like ["question1","question2","question3"]\n'
)
SUGGESTED_QUESTIONS_MAX_TOKENS = 256
SUGGESTED_QUESTIONS_TEMPERATURE = 0

# Formatted with str.format(language=...): {language} is the only brace pair.
GENERATOR_QA_PROMPT = (
    "The user sends a long text. Write question and answer pairs that use only what the "
    "text says: first find its main points, then ask one clear question per point and "
    "answer it fully. Write in {language} only.\n"
    "Format every pair exactly as:\nQ1:\nA1:\nQ2:\nA2:\n"
)

WORKFLOW_RULE_CONFIG_PROMPT_GENERATE_TEMPLATE = """Write a prompt template another model can follow
to do this task:
{{TASK_DESCRIPTION}}

The template gives step-by-step instructions inside <instruction> tags and three
input/output examples inside <example> tags, has no <input> or <output> section and
no variables, is in the language of the task, is at least 300 words, and starts
with <instruction>. Reply with the template only, in ``` xml ``` fences.
"""

RULE_CONFIG_PROMPT_GENERATE_TEMPLATE = """Write a prompt template another model can follow
to do this task:
{{TASK_DESCRIPTION}}

Mark each value the user will fill in as a variable in double curly brackets with a
clear name of letters, digits and underscores. Put step-by-step instructions inside
<instruction> tags and examples inside <example> tags; use curly brackets nowhere
else. Write in the language of the task. Reply with the template only, in
``` xml ``` fences, starting with <instruction>.
"""

RULE_CONFIG_PARAMETER_GENERATE_TEMPLATE = """List the variable names that appear in double curly
brackets in the text below. A name has only letters, digits and underscores.
Reply with a JSON list of the names only, like ["name_1", "name_2"], or [] when
there are none.

<text>
{{INPUT_TEXT}}
</text>
"""

RULE_CONFIG_STATEMENT_GENERATE_TEMPLATE = """Write the opening statement of a chatbot whose
purpose is: {{TASK_DESCRIPTION}}

Its prompt is: {{INPUT_TEXT}}

Greet the user in the tone the purpose suggests and say in two or three sentences
what the chatbot can help with. Write in the language of the purpose. Reply with
the statement only, without XML tags.
"""

SYSTEM_STRUCTURED_OUTPUT_GENERATE = """Turn the user's description of the data they need into
a JSON Schema: one property per field with a fitting type, the fields the user
says are needed listed in "required", and any limits they give (minimum, maximum,
pattern, format) as constraints. Reply with the JSON Schema only, no markdown
fences, no explanation.
"""

# {{schema}} is replaced with the JSON schema the answer must follow.
STRUCTURED_OUTPUT_PROMPT = """Answer in JSON only. Use strings for yes/no values and numbers for
numeric ones. The answer must validate against this JSON schema:
{{schema}}
"""

LLM_MODIFY_PROMPT_SYSTEM = """You improve prompts. You get the current prompt, the user's
instruction for changing it and, when there is one, the output they expected.
Change only what the instruction asks, keep the prompt's variables and language,
and reply with one JSON object: {"modified": "<the new prompt>", "message": "<what you changed>"}
"""

LLM_MODIFY_CODE_SYSTEM = """You improve code. You get the current code, the user's instruction
for changing it and, when there is one, the output they expected. Change only what
the instruction asks, keep the function's name and signature working, and reply with
one JSON object: {"modified": "<the new code>", "message": "<what you changed>"}
"""

# Shown to the user as starting points in the console's instruction editor.
INSTRUCTION_GENERATE_TEMPLATE_PROMPT = """The output of this prompt should be:
Its tone should be:
It should avoid:
"""

INSTRUCTION_GENERATE_TEMPLATE_CODE = """The code should take as input:
It should return:
It should handle these cases:
"""
