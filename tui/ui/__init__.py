"""The Textual front end: the app shell (home, connect, trust, help, palette) and the feature screens."""
