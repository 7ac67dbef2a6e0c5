"""Built-in checks of the files a declaration points at: evidence and Content Credentials."""
