-- One value per indicator × facility × period × kind × dimension: the most recent report wins
-- (latest issue date, then the latest reporting period, then the highest sha256: never the order
-- reports happened to arrive in); reports that state a different value are counted.
with observations as (
    select * from {{ ref('int_observations__accepted') }}
),

outliers as (
    select * from {{ ref('stg_validation__outlier_flags') }} where is_outlier
),

flagged as (
    -- the flags joined to every observation first: a join the planner estimates well (a flag per
    -- observation at most), never a loop over the flags per value
    select
        o.*,
        f.observation_id is not null as is_outlier,
        f.outlier_score
    from observations as o
    left join outliers as f on f.observation_id = o.observation_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by indicator_code, facility_id, period_id, value_kind, coalesce(dimension, '')
            order by report_issue_date desc nulls last, report_period_end_date desc nulls last, report_id desc,
                observation_id
        ) as recency_rank
    from flagged
),

distinct_values as (
    select
        indicator_code, facility_id, period_id, value_kind, coalesce(dimension, '') as dimension_key,
        count(distinct round(observed_value::numeric, 6)) as distinct_value_count,
        count(distinct report_id) as report_count
    from observations
    group by 1, 2, 3, 4, 5
),

final as (
    select
        r.indicator_code,
        r.facility_id,
        r.period_id,
        r.value_kind,
        r.dimension,
        r.observed_value,
        r.unit,
        r.qualifier,
        r.report_id as latest_report_id,
        r.observation_id as latest_observation_id,
        d.report_count,
        d.distinct_value_count > 1 as has_conflict,
        r.is_outlier,
        r.outlier_score
    from ranked as r
    inner join distinct_values as d
        on d.indicator_code = r.indicator_code
        and d.facility_id = r.facility_id
        and d.period_id = r.period_id
        and d.value_kind = r.value_kind
        and d.dimension_key = coalesce(r.dimension, '')
    where r.recency_rank = 1
)

select * from final
