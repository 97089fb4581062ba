{{ config(post_hook=[
        "{{ foreign_key('indicator_value_id', 'fct_indicator_value', 'indicator_value_id', on_delete='cascade') }}",
        "{{ foreign_key('observation_id', 'fct_indicator_observation', 'observation_id', on_delete='cascade') }}"
]) }}
-- depends_on: {{ ref('fct_indicator_value') }}
-- depends_on: {{ ref('fct_indicator_observation') }}
-- Both keys cascade: a value's winning observation quarantined after it was published leaves the
-- observation fact in that build's post-hook, taking its value row with it (fct_indicator_value's key
-- cascades) before this table is rebuilt; a key that refused it failed the build.
-- Grain: one row per observation competing for a value that has a conflict (fct_indicator_value.has_conflict):
-- every value a report stated for the grain, with its report, evidence and place in the ranking, so that
-- an analyst can see why the winner won and an auditor can read each competitor's sentence.
with ranked as (
    select * from {{ ref('int_indicator_values__ranked') }}
),

observations as (
    select * from {{ ref('int_observations__accepted') }}
),

conflicting as (
    select
        o.*,
        r.indicator_value_id,
        r.is_from_table,
        r.within_report_rank,
        r.value_rank,
        r.is_winner,
        r.conflict_class
    from ranked as r
    inner join observations as o on r.observation_id = o.observation_id
    where r.distinct_value_count > 1
),

final as (
    select
        observation_id,
        indicator_value_id,
        indicator_code as indicator_id,
        facility_id,
        period_id,
        value_kind,
        dimension,
        observed_value,
        unit,
        qualifier,
        report_id,
        report_issue_date,
        evidence,
        is_from_table,
        within_report_rank::int as within_report_rank,
        value_rank::int as value_rank,
        is_winner,
        conflict_class
    from conflicting
)

select * from final
