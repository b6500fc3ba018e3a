-- The sharing catalog of one user: confidential datasets of other departments that are listed
-- (shareable), the department's own confidential datasets, and those the user holds a grant on.
-- Only what a person needs to decide to ask: no counts, extents or columns.
-- $1 user id, $2 the user's department (or null), $3 text to find (an ILIKE pattern, or null).
SELECT d.id, d.title_zh, d.title_en, d.description_zh, d.description_en, d.department_id,
  dep.name_zh AS department_zh, dep.name_en AS department_en,
  d.theme, d.geometry_type, d.classification,
  g.expires_at AS grant_expires_at, r.id AS pending_request_id
FROM yitu.datasets d
LEFT JOIN yitu.departments dep ON dep.id = d.department_id
LEFT JOIN LATERAL (
  SELECT max(x.expires_at) AS expires_at FROM yitu.dataset_grants x
  WHERE x.dataset_id = d.id AND x.revoked_at IS NULL AND x.expires_at > now()
    AND (x.user_id = $1::uuid OR x.department_id = $2::text)
) g ON true
LEFT JOIN LATERAL (
  SELECT s.id FROM yitu.share_requests s
  WHERE s.dataset_id = d.id AND s.department_id = $2::text AND s.status = 'pending'
  ORDER BY s.created_at LIMIT 1
) r ON true
WHERE d.classification = 'confidential'
  AND ((d.shareable AND d.department_id IS DISTINCT FROM $2::text) OR d.department_id = $2::text OR g.expires_at IS NOT NULL)
  AND ($3::text IS NULL OR d.id ILIKE $3 OR d.title_zh ILIKE $3 OR d.title_en ILIKE $3
       OR d.description_zh ILIKE $3 OR d.description_en ILIKE $3)
ORDER BY d.department_id, d.theme, d.id
LIMIT 2000
