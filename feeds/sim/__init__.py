"""The simulator machinery: scenarios registered by name (each domain's scenario lives with the domain)."""
