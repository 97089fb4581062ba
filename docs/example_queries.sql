-- A province's indicator over the years: doctors per 10,000 people in Nghệ An.
select p.period_year, v.observed_value, v.qualifier, v.report_count, v.has_conflict
from marts.fct_indicator_value v
join marts.dim_period p using (period_id)
join marts.dim_facility f using (facility_id)
where v.indicator_id = 'doctors_per_10k' and v.value_kind = 'actual' and f.facility_name = 'Nghệ An'
order by p.period_year;

-- All provinces on the new 34-province map for one indicator and year (pre-merger figures rolled up
-- to their successor, the average of the old provinces' values is shown with how many contributed).
select f.successor_province_name, avg(v.observed_value) as mean_value, count(*) as provinces_reporting
from marts.fct_indicator_value v
join marts.dim_period p using (period_id)
join marts.dim_facility f using (facility_id)
where v.indicator_id = 'doctors_per_10k' and v.value_kind = 'actual'
  and p.granularity = 'year' and p.period_year = 2024 and f.facility_type = 'province'
group by f.successor_province_name
order by f.successor_province_name;

-- Targets missed last year.
select f.facility_name, i.indicator_name_en, t.actual_value, t.target_qualifier, t.target_value, t.attainment_ratio
from marts.fct_target_attainment t
join marts.dim_period p using (period_id)
join marts.dim_facility f using (facility_id)
join marts.dim_indicator i using (indicator_id)
where not t.is_met and p.period_year = extract(year from current_date)::int - 1
order by f.facility_name, i.indicator_name_en;
