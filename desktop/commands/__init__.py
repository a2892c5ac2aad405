"""Subcommands of the controlroom command line; each module defines NAME, HELP, configure and run."""
