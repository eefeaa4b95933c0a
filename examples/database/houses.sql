-- The table of the database example: each row a house, `sold` (0 or 1) its label, set later.
CREATE TABLE IF NOT EXISTS houses (
  id     integer PRIMARY KEY,
  sqft   double precision,
  rooms  integer,
  sold   integer,
  note   text
);
INSERT INTO houses (id, sqft, rooms, sold) VALUES
  (1, 120, 4, 1), (2, 45, 2, 0), (3, 80, 3, NULL), (4, 150, 5, NULL)
ON CONFLICT (id) DO NOTHING;
