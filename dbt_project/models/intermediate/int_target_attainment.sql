-- Actual against target for the same indicator, facility, period and dimension.
with values_latest as (
    select * from {{ ref('int_indicator_values__latest') }}
),

indicators as (
    select * from {{ ref('stg_seeds__indicator_catalogue') }}
),

actuals as (
    select * from values_latest
    where value_kind = 'actual'
),

targets as (
    select * from values_latest
    where value_kind = 'target'
),

paired as (
    select
        t.indicator_code,
        t.facility_id,
        t.period_id,
        t.dimension,
        a.observed_value as actual_value,
        t.observed_value as target_value,
        t.qualifier as target_qualifier,
        a.latest_observation_id as actual_observation_id,
        a.latest_report_id as actual_report_id,
        t.latest_observation_id as target_observation_id,
        t.latest_report_id as target_report_id,
        i.is_higher_better
    from targets as t
    inner join actuals as a
        on
            t.indicator_code = a.indicator_code
            and t.facility_id = a.facility_id
            and t.period_id = a.period_id
            and coalesce(a.dimension, '') = coalesce(t.dimension, '')
    inner join indicators as i on t.indicator_code = i.indicator_code
),

judged as (
    select
        *,
        case when target_value = 0 then null else actual_value / target_value end as attainment_ratio,
        case
            when target_qualifier = 'less_than' then actual_value < target_value
            when target_qualifier = 'more_than' then actual_value > target_value
            when is_higher_better is false then actual_value <= target_value
            else actual_value >= target_value
        end as is_met
    from paired
),

final as (
    select * from judged
)

select * from final
