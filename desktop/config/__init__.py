"""The TOML configuration: the loader (core keys and each domain's section) and screen layouts."""
