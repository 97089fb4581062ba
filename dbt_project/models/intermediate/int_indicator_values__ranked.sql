-- A table, not a view: the value fact, the conflicts, the attainment, the merged-province values and
-- their tests all read the ranking; as a view each evaluated it again, 27 of the 42 s of a dbt build
-- over 10,000 reports (bench/pipeline.py). A narrow table: the ranking's own columns only, keyed by
-- observation_id; what reads it takes the observation's other columns from int_observations__accepted
-- (at 10,000 reports writing every observation's evidence a second time cost 1.4 s of the build's
-- longest path). Unlogged, as int_observations__accepted: rebuilt whole by every build.
{{ config(
    materialized='table',
    unlogged=true,
    post_hook=["create index on {{ this }} (indicator_value_id)", "analyze {{ this }}"]
) }}
-- Every accepted observation with its place among the values competing for its grain (indicator ×
-- facility × period × kind × dimension). The rule is deterministic and never the order reports
-- arrived in:
--   between reports: the most recent report wins (latest issue date, then the latest reporting
--     period, then the highest sha256);
--   within a report: exact over approximate over bounded (`more_than`, `less_than`); then a table
--     cell over a sentence (a report's tables are its reference figures); then the earlier statement
--     over the later (a summary restates, rounded); then the observation id.
with observations as (
    select * from {{ ref('int_observations__accepted') }}
),

keys as (
    -- only what the ranking sorts and counts on: the windows sort these narrow rows, not every
    -- observation's evidence, and the counts read them again without the wide rows (at 10,000
    -- reports the counts took 0.6 s instead of 2 s, and the model 2.9 s instead of 3.3 s)
    select
        observation_id,
        {{ surrogate_key(['indicator_code', 'facility_id', 'period_id', 'value_kind', 'dimension']) }}
            as indicator_value_id,
        report_id,
        round(observed_value::numeric, 6) as rounded_value,
        case qualifier when 'exact' then 0 when 'approx' then 1 else 2 end as qualifier_rank,
        position('|' in evidence) > 0 as is_from_table,
        evidence_start,
        report_issue_date,
        report_period_end_date
    from observations
),

ranked as (
    select
        observation_id,
        indicator_value_id,
        report_id,
        rounded_value,
        qualifier_rank,
        is_from_table,
        row_number() over (
            partition by indicator_value_id, report_id
            order by qualifier_rank asc, is_from_table desc, evidence_start asc, observation_id asc
        ) as within_report_rank,
        row_number() over (
            partition by indicator_value_id
            order by
                report_issue_date desc nulls last, report_period_end_date desc nulls last, report_id desc,
                qualifier_rank asc, is_from_table desc, evidence_start asc, observation_id asc
        ) as value_rank
    from keys
),

per_report as (
    -- how many different values each report states for the grain
    select
        indicator_value_id,
        report_id,
        count(distinct rounded_value) as report_distinct_value_count
    from ranked
    group by indicator_value_id, report_id
),

spread as (
    -- how the competing values differ: inside one report, between the reports' own values, or both
    select
        ranked.indicator_value_id,
        count(distinct ranked.rounded_value) as distinct_value_count,
        count(distinct ranked.report_id) as report_count,
        count(distinct ranked.rounded_value) filter (where ranked.within_report_rank = 1)
            as distinct_report_value_count,
        max(per_report.report_distinct_value_count) as max_values_in_one_report
    from ranked
    inner join per_report
        on ranked.indicator_value_id = per_report.indicator_value_id and ranked.report_id = per_report.report_id
    group by ranked.indicator_value_id
),

final as (
    select
        r.observation_id,
        r.indicator_value_id,
        r.report_id,
        r.qualifier_rank,
        r.is_from_table,
        r.within_report_rank,
        r.value_rank,
        r.value_rank = 1 as is_winner,
        s.distinct_value_count,
        s.report_count,
        case
            when s.max_values_in_one_report > 1 and s.distinct_report_value_count > 1 then 'within_and_between_reports'
            when s.max_values_in_one_report > 1 then 'within_report'
            when s.distinct_report_value_count > 1 then 'between_reports'
            else 'none'
        end as conflict_class
    from ranked as r
    inner join spread as s on r.indicator_value_id = s.indicator_value_id
)

select * from final
