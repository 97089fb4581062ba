-- A province's indicator over the years: doctors per 10,000 people in Nghệ An.
select p.period_year, v.observed_value, v.qualifier, v.report_count, v.has_conflict
from marts.fct_indicator_value v
join marts.dim_period p using (period_id)
join marts.dim_facility f using (facility_id)
where v.indicator_id = 'doctors_per_10k' and v.value_kind = 'actual' and f.facility_name = 'Nghệ An'
order by p.period_year;

-- Every province of the 34-province map for one indicator and year: pre-merger provinces combined
-- by the indicator's rule (doctors per 10,000 recomputed from summed doctors and population, never
-- the average of the provinces' rates), or null with the reason it cannot be combined.
select province_name, observed_value, aggregation_method, null_reason,
       contributing_province_count, merged_province_count
from marts.fct_indicator_value_province_2025
where indicator_id = 'doctors_per_10k' and value_kind = 'actual' and period_id = '2024' and dimension is null
order by province_name;

-- Targets missed last year.
select f.facility_name, i.indicator_name_en, t.actual_value, t.target_qualifier, t.target_value, t.attainment_ratio
from marts.fct_target_attainment t
join marts.dim_period p using (period_id)
join marts.dim_facility f using (facility_id)
join marts.dim_indicator i using (indicator_id)
where not t.is_met and p.period_year = extract(year from current_date)::int - 1
order by f.facility_name, i.indicator_name_en;

-- What changed in the last build: each value that appeared or changed, with the value it replaced,
-- and the run that loaded it (from the history dbt's snapshot keeps of fct_indicator_value).
with last_build as (
    select max(dbt_updated_at) as built_at from marts.fct_indicator_value_history
)
select h.indicator_id, h.facility_id, h.period_id, h.value_kind, h.dimension,
       before.observed_value as value_before, h.observed_value as value_now, h.loaded_run_id
from marts.fct_indicator_value_history h
join last_build on h.dbt_valid_from = last_build.built_at
left join marts.fct_indicator_value_history before
       on before.indicator_value_id = h.indicator_value_id and before.dbt_valid_to = h.dbt_valid_from
order by h.indicator_id, h.facility_id, h.period_id;
