"""Answering staff questions from the YAML knowledge base. Plain Python: no Slack in here."""
