"""The command line: parse, resolve names, call a service, render. Nothing heavy is imported here."""
