with observations as (
    select * from {{ ref('int_observations__accepted') }}
),

distinct_periods as (
    select distinct period_id, period_start_date, period_end_date
    from observations
),

final as (
    select
        period_id,
        period_start_date,
        period_end_date,
        {{ period_granularity('period_start_date', 'period_end_date') }} as granularity,
        extract(year from period_end_date)::int as period_year,
        case when {{ period_granularity('period_start_date', 'period_end_date') }} in ('year', 'half', 'quarter', 'month')
             then period_id end as dhis2_period_id
    from distinct_periods
)

select * from final
