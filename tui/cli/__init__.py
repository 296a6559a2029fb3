"""The headless front end: `vch-tui` and its subcommands."""
