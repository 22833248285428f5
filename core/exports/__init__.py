"""Files made for users: tables, chart images, map files, the deck, the build reports."""
