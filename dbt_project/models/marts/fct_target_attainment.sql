{{ config(post_hook=[
        "{{ foreign_key('indicator_id', 'dim_indicator', 'indicator_id') }}",
        "{{ foreign_key('facility_id', 'dim_facility', 'facility_id') }}",
        "{{ foreign_key('period_id', 'dim_period', 'period_id') }}",
        "{{ foreign_key('actual_observation_id', 'fct_indicator_observation', 'observation_id', on_delete='cascade') }}",
        "{{ foreign_key('target_observation_id', 'fct_indicator_observation', 'observation_id', on_delete='cascade') }}"
]) }}
-- depends_on: {{ ref('dim_indicator') }}
-- depends_on: {{ ref('dim_facility') }}
-- depends_on: {{ ref('dim_period') }}
-- depends_on: {{ ref('fct_indicator_observation') }}
-- Grain: one row per indicator × facility × period × dimension that has both a target and an actual.
with attainment as (
    select * from {{ ref('int_target_attainment') }}
),

final as (
    select
        {{ surrogate_key(['indicator_code', 'facility_id', 'period_id', 'dimension']) }} as target_attainment_id,
        indicator_code as indicator_id,
        facility_id,
        period_id,
        dimension,
        actual_value,
        target_value,
        target_qualifier,
        attainment_ratio,
        is_met,
        actual_observation_id,
        actual_report_id,
        target_observation_id,
        target_report_id
    from attainment
)

select * from final
