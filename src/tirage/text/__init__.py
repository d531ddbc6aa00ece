"""Rules about text itself: sentences, masks, addresses, glossary terms, inline marks."""
