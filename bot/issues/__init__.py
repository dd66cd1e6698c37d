"""Go-live issues: the model, its lifecycle and the service that logs and triages them (no Slack here)."""
