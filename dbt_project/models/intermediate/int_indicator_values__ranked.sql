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

keyed as (
    select
        *,
        {{ surrogate_key(['indicator_code', 'facility_id', 'period_id', 'value_kind', 'dimension']) }}
            as indicator_value_id,
        case qualifier when 'exact' then 0 when 'approx' then 1 else 2 end as qualifier_rank,
        position('|' in evidence) > 0 as is_from_table
    from observations
),

ranked as (
    select
        *,
        row_number() over (
            partition by indicator_value_id, report_id
            order by qualifier_rank, is_from_table desc, evidence_start, observation_id
        ) as within_report_rank,
        row_number() over (
            partition by indicator_value_id
            order by report_issue_date desc nulls last, report_period_end_date desc nulls last, report_id desc,
                qualifier_rank, is_from_table desc, evidence_start, observation_id
        ) as value_rank
    from keyed
),

spread as (
    -- how the competing values differ: inside one report, between the reports' own values, or both
    select
        indicator_value_id,
        count(distinct round(observed_value::numeric, 6)) as distinct_value_count,
        count(distinct report_id) as report_count,
        count(distinct round(observed_value::numeric, 6)) filter (where within_report_rank = 1)
            as distinct_report_value_count,
        max(per_report.report_distinct_values) as max_values_in_one_report
    from ranked
    inner join (
        select indicator_value_id as grain_id, report_id as grain_report_id,
               count(distinct round(observed_value::numeric, 6)) as report_distinct_values
        from ranked
        group by 1, 2
    ) as per_report
        on per_report.grain_id = ranked.indicator_value_id and per_report.grain_report_id = ranked.report_id
    group by indicator_value_id
),

final as (
    select
        r.*,
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
    inner join spread as s on s.indicator_value_id = r.indicator_value_id
)

select * from final
