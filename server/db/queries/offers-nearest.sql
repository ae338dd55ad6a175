-- The k ($4) offers nearest to the point ($1 lon, $2 lat), optionally of some categories ($3, text[] or NULL) and
-- kinds ($6, text[] or NULL: a subcategory such as 'pharmacy', or a subcategory with its speciality such as
-- 'doctor:paediatrics'), no farther than $5 metres, by geodesic distance on the WGS84 spheroid (geography), with
-- the date of their data (the offer's, else its source's). Offers of the city's lists (their fields in attrs) can be
-- narrowed further (@list-filter, LIST_FILTER in offers.ts): valid on a day ($7, 'YYYY-MM-DD', or NULL), for an age
-- ($8), speaking a language ($9), step-free ($10), with opening hours ($11). A place that is an offer of
-- two categories (a Kita that is a Familienzentrum) has a second record naming the first in attrs.sameAs: that
-- record is left out when the first one's category is asked too, so that no place is listed twice.
--   1. knn: the k nearest by planar distance in degrees, through the GIST index (ORDER BY geom <-> point);
--      there are k offers within the largest geodesic distance among them, so the true k nearest lie within it;
--   2. the offers in a box around the point that holds that distance (again through the index, &&) are
--      ranked by their exact geodesic distance.
WITH knn AS (
  SELECT o.geom FROM atlas.offer o
  WHERE ($3::text[] IS NULL OR o.category = ANY ($3::text[]))
    AND NOT (o.attrs ? 'sameAs' AND ($3::text[] IS NULL OR o.attrs ->> 'sameAsCategory' = ANY ($3::text[])))
    AND ($6::text[] IS NULL OR o.subcategory = ANY ($6::text[])
         OR o.subcategory || ':' || coalesce(o.attrs ->> 'speciality', '') = ANY ($6::text[]))
    -- @list-filter
  ORDER BY o.geom <-> ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)
  LIMIT $4
),
reach AS (
  SELECT least($5::float8, max(ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography))) AS m
  FROM knn
),
-- A degree of latitude is at least 110.5 km long, a degree of longitude at least 110.5 km times the cosine of
-- the latitude: 110 km makes the box a little larger than needed, never smaller.
box AS (
  SELECT m, ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326),
                      m / (110000.0 * cos(radians(least(89.0, abs($2::float8) + m / 110000.0)))),
                      m / 110000.0) AS g
  FROM reach WHERE m IS NOT NULL
),
ranked AS (
  SELECT o.id, o.category, o.subcategory, o.name, o.quarter_code, o.district_code, o.street, o.postcode, o.city,
         o.attrs ->> 'speciality' AS speciality, o.geom,
         o.attrs ->> 'openingHours' AS opening_hours, (o.attrs ->> 'ageMin')::int AS age_min,
         (o.attrs ->> 'ageMax')::int AS age_max, o.attrs -> 'languages' AS languages, o.attrs ->> 'wheelchair' AS wheelchair,
         o.attrs -> 'list' AS list, coalesce(o.reference_date, s.reference_date) AS reference_date,
         ST_Distance(o.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS distance_m
  FROM atlas.offer o JOIN atlas.source s ON s.id = o.source_id, box
  WHERE o.geom && box.g
    AND ($3::text[] IS NULL OR o.category = ANY ($3::text[]))
    AND NOT (o.attrs ? 'sameAs' AND ($3::text[] IS NULL OR o.attrs ->> 'sameAsCategory' = ANY ($3::text[])))
    AND ($6::text[] IS NULL OR o.subcategory = ANY ($6::text[])
         OR o.subcategory || ':' || coalesce(o.attrs ->> 'speciality', '') = ANY ($6::text[]))
    -- @list-filter
    AND ST_Distance(o.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) <= box.m
  ORDER BY distance_m, o.id
  LIMIT $4
)
-- Where the source gives no street (OpenStreetMap points), the register's address nearest to the offer, as `na`
-- (offers.ts, nearAddressJoin, fills in the join below): an approximate address, marked as such.
SELECT r.id, r.category, r.subcategory, r.name, r.quarter_code, r.district_code, r.street, r.postcode, r.city,
       r.speciality, r.reference_date, r.opening_hours, r.age_min, r.age_max, r.languages, r.wheelchair, r.list,
       ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.distance_m,
       na.street || ' ' || na.house_number AS near_address, na.m AS near_address_m
FROM ranked r
-- @near-address
ORDER BY r.distance_m, r.id
