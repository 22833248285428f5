"""Files users supply: the one reader, column recognition, lists of funded places."""
