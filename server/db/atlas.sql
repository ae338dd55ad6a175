-- The data schema. The importer creates it afresh in a staging schema (search_path points there),
-- fills and checks it, and swaps it in for the live `atlas` schema in one transaction.
-- Everything here is city-neutral: what is Dortmund's comes from the data package and its manifest.

CREATE TABLE source (
  id text PRIMARY KEY,
  title text NOT NULL,
  publisher text NOT NULL,
  licence text NOT NULL,
  attribution text NOT NULL,
  url text,
  file text,
  sha256 text,
  reference_date text,
  note text,
  -- Title, publisher and licence as pages show them: {"de": {...}, "en": {...}}; the plain columns hold the German.
  shown jsonb NOT NULL DEFAULT '{}',
  -- Open questions about the licence: for the project's documentation (DATA.md), never for a page.
  licence_note text
);

-- district = Stadtbezirk, quarter = statistischer Bezirk, subquarter = Unterbezirk (no polygon),
-- action-area = Aktionsraum. Codes are the official ones as text ('01', '050', '0501', '022').
CREATE TABLE area (
  level text NOT NULL CHECK (level IN ('district', 'quarter', 'subquarter', 'action-area')),
  code text NOT NULL,
  name text NOT NULL,
  parent_code text,
  numbered boolean NOT NULL DEFAULT true,
  geom geometry(MultiPolygon, 4326),
  area_m2 double precision,
  label_point geometry(Point, 4326),
  source_id text REFERENCES source (id),
  attrs jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (level, code),
  CHECK (level = 'subquarter' OR geom IS NOT NULL)
);
CREATE INDEX area_geom_idx ON area USING gist (geom);

-- Colloquial names of areas from the manifest's aliases ("Nordstadt" for a district, "Kreuzviertel" for a quarter),
-- for the search.
CREATE TABLE area_alias (
  alias text NOT NULL,
  level text NOT NULL CHECK (level IN ('district', 'quarter')),
  code text NOT NULL,
  note text,
  PRIMARY KEY (alias, level, code),
  FOREIGN KEY (level, code) REFERENCES area (level, code)
);

-- Which sub-quarters and quarters make up an action area, with the share of the member's addresses inside.
CREATE TABLE area_member (
  action_area_code text NOT NULL,
  member_level text NOT NULL CHECK (member_level IN ('quarter', 'subquarter')),
  member_code text NOT NULL,
  address_share double precision,
  PRIMARY KEY (action_area_code, member_level, member_code)
);

CREATE TABLE address (
  id integer PRIMARY KEY,
  street text NOT NULL,
  house_number text NOT NULL,
  street_code text,
  search_key text NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  subquarter_code text,
  quarter_code text NOT NULL,
  district_code text NOT NULL,
  action_area_code text
);
CREATE INDEX address_geom_idx ON address USING gist (geom);
CREATE INDEX address_search_idx ON address (search_key text_pattern_ops);
-- Misspelt addresses are found by trigram similarity (pg_trgm, created by migration 002).
CREATE INDEX address_trgm_idx ON address USING gin (search_key gin_trgm_ops);
CREATE INDEX address_quarter_idx ON address (quarter_code);

-- The controlled vocabulary of offer categories, with labels in every language the app speaks.
CREATE TABLE category (
  code text PRIMARY KEY,
  sort integer NOT NULL,
  labels jsonb NOT NULL,
  -- {de, en}: why the data are too thin to answer for this category (the manifest's osm.completeness); null: they can.
  incomplete jsonb,
  -- {subcategory: {de, en}}: warnings every figure of that subcategory carries (doctors from OSM, about 2020).
  warnings jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE offer (
  id text PRIMARY KEY,
  category text NOT NULL REFERENCES category (code),
  subcategory text,
  name text,
  street text,
  postcode text,
  city text,
  places_u3 integer,
  places_o3 integer,
  pupils integer,
  attrs jsonb NOT NULL DEFAULT '{}',
  geom geometry(Point, 4326) NOT NULL,
  quarter_code text NOT NULL,
  district_code text NOT NULL,
  action_area_code text,
  source_id text NOT NULL REFERENCES source (id),
  reference_date text,
  external_id text,
  search_key text NOT NULL DEFAULT ''
);
CREATE INDEX offer_geom_idx ON offer USING gist (geom);
CREATE INDEX offer_category_idx ON offer (category);
CREATE INDEX offer_quarter_idx ON offer (quarter_code);

CREATE TABLE indicator (
  id text PRIMARY KEY,
  theme text NOT NULL,
  title jsonb NOT NULL,
  description jsonb NOT NULL,
  unit text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('need', 'strength', 'neutral')),
  method text NOT NULL CHECK (method IN ('published', 'computed', 'modelled')),
  method_note jsonb NOT NULL,
  source_ids text[] NOT NULL DEFAULT '{}',
  count_based boolean NOT NULL DEFAULT false,
  sort integer NOT NULL DEFAULT 0
);

CREATE TABLE indicator_value (
  indicator_id text NOT NULL REFERENCES indicator (id),
  level text NOT NULL CHECK (level IN ('city', 'district', 'quarter', 'action-area')),
  area_code text NOT NULL,
  reference_date text,
  value double precision,
  method text NOT NULL CHECK (method IN ('published', 'computed', 'modelled')),
  source_id text REFERENCES source (id),
  source_url text,
  quote text,
  note text,
  is_latest boolean NOT NULL DEFAULT true,
  basis_count integer,
  -- Published values: how the reference date was established (the package's words), and the copy the figure was
  -- read from when that was not the canonical page in source_url (provenance only, never shown as the source).
  date_note text,
  retrieved_from text
);
CREATE INDEX indicator_value_idx ON indicator_value (indicator_id, level, is_latest);

-- The city itself, from the manifest's city section: the clock opening hours and the dates of offer lists are read
-- on (time zone, the region whose public holidays count), and the middle of its extent.
CREATE TABLE city (
  code text PRIMARY KEY,
  name text NOT NULL,
  time_zone text,
  holidays jsonb,
  centre geometry(Point, 4326) NOT NULL,
  -- The manifest's rules for twins (osm.twins, geodata/twins.ts): an offer list's row that is the twin of an offer
  -- already there is merged into it.
  twin_rules jsonb
);

-- Offer lists (issue 21, server/db/queries/offer-lists.ts): the OpenStreetMap points a current list replaces, kept
-- here while it is current, and the categories' marks of incompleteness as the package left them.
CREATE TABLE offer_replaced (LIKE offer);
CREATE TABLE category_package (code text PRIMARY KEY, incomplete jsonb);

-- The walking network (geodata/walk.ts, issue 16): built at import from the basemap's vector tiles at their highest
-- zoom. One node per vertex of a walkable line, one edge per segment (metres on the ellipsoid); lines connect only
-- at shared vertices, on tile seams and at T-junctions within a metre. Empty for a package without basemap tiles.
CREATE TABLE walk_node (
  id integer PRIMARY KEY,
  lon double precision NOT NULL,
  lat double precision NOT NULL,
  -- Connected component, 0 the largest.
  component integer NOT NULL
);
CREATE TABLE walk_edge (
  id integer PRIMARY KEY,
  a integer NOT NULL,
  b integer NOT NULL,
  length_m double precision NOT NULL,
  kind text NOT NULL
);
-- Every address (ref = its id) and offer, snapped to the nearest edge of the connected network: the fraction t along
-- the edge from its node a, and the snap distance; flagged when farther than 150 m (or not snapped within 2 km).
CREATE TABLE walk_snap (
  kind text NOT NULL CHECK (kind IN ('address', 'offer')),
  ref text NOT NULL,
  edge integer,
  t double precision,
  snap_m double precision,
  flagged boolean NOT NULL,
  -- Addresses: the persons the address stands for (its quarter's published or estimated persons per address, as the
  -- coverage indicators weigh it; modelled), for the residents inside an isochrone.
  persons double precision,
  PRIMARY KEY (kind, ref)
);
-- The build's report: tiles, size, components, joins, memory, time and the points flagged.
CREATE TABLE walk_graph (
  source_id text REFERENCES source (id),
  zoom integer NOT NULL,
  tiles integer NOT NULL,
  nodes integer NOT NULL,
  edges integer NOT NULL,
  components integer NOT NULL,
  largest_component integer NOT NULL,
  min_component_nodes integer NOT NULL,
  seam_joins integer NOT NULL,
  junctions integer NOT NULL,
  length_km double precision NOT NULL,
  bytes bigint NOT NULL,
  build_ms integer NOT NULL,
  -- Storing and snapping, and the walking indicators' searches (geodata/walk.ts), ms.
  derive_ms integer,
  addresses_flagged integer NOT NULL,
  offers_flagged integer NOT NULL,
  -- The same network in one value for the server to read at once (server/domain/walk/pack.ts): nodes, edges, the
  -- snaps of addresses (with their persons) and of offers (with id, category and point).
  arrays bytea
);
