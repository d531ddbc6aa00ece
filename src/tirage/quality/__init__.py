"""Quality checks, number forms and statistics."""
