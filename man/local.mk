# man/: the manual pages, generated at build time from the program itself
# (the command table's --help texts, the profile's field table), so they
# cannot fall behind it (docs/package.md).
