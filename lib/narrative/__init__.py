"""Plain-English sentences built from computed figures; one module per topic."""
