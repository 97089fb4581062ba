-- One value per indicator × facility × period × kind × dimension: the winner of
-- int_indicator_values__ranked (the most recent report; within it exact over approximate over
-- bounded, a table over a sentence, the earlier statement over the later), with how its competitors
-- differ and the outlier flag of the winning observation.
with ranked as (
    select * from {{ ref('int_indicator_values__ranked') }}
),

observations as (
    select * from {{ ref('int_observations__accepted') }}
),

outliers as (
    select * from {{ ref('stg_validation__outlier_flags') }}
    where is_outlier
),

winners as (
    -- the ranking keeps its own columns only; the winning observation's are read by its id
    select
        o.*,
        r.indicator_value_id,
        r.report_count,
        r.distinct_value_count,
        r.conflict_class
    from ranked as r
    inner join observations as o on r.observation_id = o.observation_id
    where r.is_winner
),

flagged as (
    select
        w.*,
        f.observation_id is not null as is_outlier,
        f.outlier_score
    from winners as w
    left join outliers as f on w.observation_id = f.observation_id
),

final as (
    select
        indicator_value_id,
        indicator_code,
        facility_id,
        period_id,
        period_start_date,
        period_end_date,
        value_kind,
        dimension,
        observed_value,
        unit,
        qualifier,
        report_id as latest_report_id,
        observation_id as latest_observation_id,
        run_id as loaded_run_id,
        report_count,
        distinct_value_count > 1 as has_conflict,
        conflict_class,
        dimension is null as is_total,
        {{ period_granularity('period_start_date', 'period_end_date') }} in ('year', 'half', 'quarter', 'month')
            as is_full_period,
        {{ period_granularity('period_start_date', 'period_end_date') }} = 'year_to_date' as is_year_to_date,
        is_outlier,
        outlier_score
    from flagged
)

select * from final
