{{ config(materialized='view') }}
-- Grain: as fct_indicator_value, restricted to totals over whole years, halves, quarters and months:
-- the rows a BI tool can sum by period type without counting a figure twice.
with indicator_values as (
    select * from {{ ref('fct_indicator_value') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        v.indicator_value_id,
        v.indicator_id,
        v.facility_id,
        v.period_id,
        p.period_type,
        v.value_kind,
        v.observed_value,
        v.unit,
        v.qualifier,
        v.latest_report_id,
        v.latest_observation_id,
        v.has_conflict,
        v.is_outlier
    from indicator_values as v
    inner join periods as p on v.period_id = p.period_id
    where v.is_total and v.is_full_period
)

select * from final
