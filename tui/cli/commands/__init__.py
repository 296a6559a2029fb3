"""One module per subcommand: `configure(parser)` adds its options, `run(args) -> int` runs it."""
