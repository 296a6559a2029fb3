"""The user's settings file and theme files."""
