"""The Textual app (`chefmentor tui`): recipes, guided cooking, diagnosis and history on the service layer."""
