-- Trigram similarity (pg_trgm) for the search: misspelt streets and names are found by their trigrams. Both
-- engines have it: PostgreSQL as a contrib extension, PGlite as one it loads (server/db/index.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
