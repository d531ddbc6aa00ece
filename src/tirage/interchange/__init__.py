"""Files other tools read and write: TMX, XLIFF."""
