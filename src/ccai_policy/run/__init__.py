"""The one pipeline every command calls, under worker limits, and the paths it is given."""
