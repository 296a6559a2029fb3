"""The user's settings.

config.py  the settings file (TOML at paths.config_file()): theme, refresh interval, thresholds, keymap;
           unknown keys are errors
themes.py  theme files: find them, parse the TOML and check its shape (no Textual here)
"""
