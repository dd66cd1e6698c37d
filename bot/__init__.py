"""The go-live support bot: answers, issue logging and communications for an NHS go-live."""
