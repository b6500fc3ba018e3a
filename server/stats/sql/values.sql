-- Rows (region, period) of table $1 with their indicator values as one JSON object, joined to the
-- region's names; {{alive}} picks the version, {{filters}} the indicators, periods, level and region,
-- {{tail}} the order and page.
SELECT v.region_code, r.name_zh, r.name_en, r.level, r.parent_code, v.period,
       jsonb_object_agg(v.indicator, v.value) AS vals
FROM yitu.stat_values v
LEFT JOIN yitu.regions r ON r.code = v.region_code
WHERE v.dataset_id = $1 AND {{alive}} {{filters}}
GROUP BY v.region_code, v.period, r.name_zh, r.name_en, r.level, r.parent_code
{{tail}}
