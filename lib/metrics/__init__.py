"""Pure statistical functions: every number on screen is computed here and tested."""
