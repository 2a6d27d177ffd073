# Example replacement for api/core/llm_generator/prompts.py, mounted by
# existing-manifests.yaml through a ConfigMap (subPath mount). A real one
# starts from the file of the Dify version you run and changes the prompts.
CONVERSATION_TITLE_PROMPT = """You are asked to name a conversation.
Reply with a short title in the user's language, at most 20 words.
"""
