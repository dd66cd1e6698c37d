"""The Slack adapter: thin handlers that turn payloads into domain calls and outcomes into Block Kit."""
