{{ config(post_hook=[
        "{{ foreign_key('indicator_id', 'dim_indicator', 'indicator_id') }}",
        "{{ foreign_key('facility_id', 'dim_facility', 'facility_id') }}",
        "{{ foreign_key('period_id', 'dim_period', 'period_id') }}",
        "{{ foreign_key('latest_report_id', 'dim_report', 'report_id') }}",
        "{{ foreign_key('latest_observation_id', 'fct_indicator_observation', 'observation_id', on_delete='cascade') }}"
]) }}
-- depends_on: {{ ref('dim_indicator') }}
-- depends_on: {{ ref('dim_facility') }}
-- depends_on: {{ ref('dim_period') }}
-- depends_on: {{ ref('dim_report') }}
-- depends_on: {{ ref('fct_indicator_observation') }}
-- Grain: one row per indicator × facility × period × kind × dimension.
with latest as (
    select * from {{ ref('int_indicator_values__latest') }}
),

final as (
    select
        indicator_value_id,
        indicator_code as indicator_id,
        facility_id,
        period_id,
        value_kind,
        dimension,
        observed_value,
        unit,
        qualifier,
        latest_report_id,
        latest_observation_id,
        loaded_run_id,
        report_count::int as report_count,
        has_conflict,
        conflict_class,
        is_total,
        is_full_period,
        is_year_to_date,
        is_outlier,
        outlier_score
    from latest
)

select * from final
