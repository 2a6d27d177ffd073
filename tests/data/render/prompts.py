# Custom prompts (seed 004): mounted with subPath at
# /app/api/core/llm_generator/prompts.py
WORKFLOW_RULE_CONFIG_PROMPT_GENERATE_TEMPLATE = """
Here is a task description: {{TASK_DESCRIPTION}}
Answer with "yes" or no: 0.5 1.33 null ~ true
"""
