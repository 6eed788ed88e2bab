"""Static-site generator for a bilingual (English / Simplified Chinese) news archive."""
