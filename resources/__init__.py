"""Package data: breakpoint tables, styles, translations and other static resources."""
