"""The controlroom command line: `cli` (the GUI roles, the demo, the dispatcher) and one module per other
subcommand, each defining NAME, HELP, configure and run."""
