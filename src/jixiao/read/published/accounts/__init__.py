"""The nine final-accounts tables found in a published document and read into the accounts model."""
